import { timingSafeEqual } from 'node:crypto';
import { ApiError, type Principal, type Queryable, type RouteAccess } from '@city/ingest';
import type {} from '@fastify/jwt';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ApiErrorCode } from '../contract/api-errors.ts';
import { findLiveApiKey } from './api-keys-table.ts';
import { insertAuditEntry } from './audit-table.ts';
import { sessionIsLive } from './sessions-table.ts';
import { API_KEY_PREFIX, apiKeyHash, type StaffClaims } from './tokens.ts';

declare module 'fastify' {
  interface FastifyRequest {
    /** What the audit row names as the action's target, when the route's parameters do not say it. */
    auditTarget?: string;
  }
}

const BEARER = /^Bearer ([\x21-\x7e]{1,4096})$/;
const READ_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);
/** The OpenAPI page's own routes, which declare nothing: public, read-only. */
const DOCS = /^\/docs(\/|$)/;

export interface RouteEntry {
  method: string;
  url: string;
  access: RouteAccess;
}

const routeTables = new WeakMap<FastifyInstance, RouteEntry[]>();

/** Every route of a server and who may call it, as its declaration says. */
export function routeTable(app: FastifyInstance): readonly RouteEntry[] {
  return routeTables.get(app) ?? [];
}

/**
 * Staff access on every route of `app`: each route's `config.access` says who may call it; a
 * request without a valid token or API key gets 401, a role not listed 403. Every request that
 * may change state (any method but GET, HEAD, OPTIONS, and routes that declare `audit: false`) leaves an audit row - who, what, the
 * target, from where, and the answer's status - refused ones included.
 */
export function installAccessControl(
  app: FastifyInstance,
  db: Queryable,
  opts: { demoKioskToken?: string | undefined } = {},
): void {
  const table: RouteEntry[] = [];
  routeTables.set(app, table);
  // A route that does not say who may call it does not start: forgetting is not a way to open one.
  app.addHook('onRoute', (route) => {
    const access = route.config?.access;
    const methods = [route.method].flat();
    if (access === undefined) {
      if (DOCS.test(route.url) && methods.every((m) => READ_METHODS.has(m))) return;
      throw new Error(`route ${methods.join(',')} ${route.url} declares no config.access`);
    }
    for (const method of methods) table.push({ method, url: route.url, access });
  });

  async function identify(request: FastifyRequest): Promise<Principal | undefined> {
    const header = request.headers.authorization;
    if (header === undefined) return undefined;
    const token = BEARER.exec(header)?.[1];
    if (!token) throw unauthorized('send `Authorization: Bearer <token or API key>`');
    if (opts.demoKioskToken !== undefined && sameText(token, opts.demoKioskToken)) return DEMO_KIOSK;
    return principalOfToken(app, db, token);
  }

  app.addHook('onRequest', async (request) => {
    // Routes without a declaration are the OpenAPI page's own (`/docs`); every other declares one.
    const access = request.routeOptions.config.access ?? 'public';
    if (access === 'public') {
      // A public route serves anyone; a valid token may still show more (health details).
      request.principal = await identify(request).catch(() => undefined);
      return;
    }
    const principal = await identify(request);
    if (!principal) throw unauthorized('sign in first (POST /api/v1/auth/login) or send an API key');
    request.principal = principal;
    if (!access.includes(principal.role)) {
      throw new ApiError<ApiErrorCode>(
        403,
        'forbidden',
        `a ${principal.role} may not ${request.method} ${request.routeOptions.url}`,
      );
    }
  });

  app.addHook('onResponse', async (request, reply) => {
    if (READ_METHODS.has(request.method) || request.routeOptions.url === undefined) return;
    if (request.routeOptions.config.audit === false) return;
    const params = request.params as Record<string, string> | undefined;
    const target = request.auditTarget ?? (params && Object.keys(params).length > 0 ? JSON.stringify(params) : null);
    await insertAuditEntry(db, {
      actor: request.principal?.name ?? null,
      role: request.principal?.role ?? null,
      action: `${request.method} ${request.routeOptions.url}`,
      target,
      ip: request.ip,
      status: reply.statusCode,
    }).catch((err: Error) => request.log.error({ err: err.message }, 'audit row not written'));
  });
}

/** The embedded demo's wall, which opens without a login (API.md "Live stream"): its token reads as a kiosk key. */
export const DEMO_KIOSK: Principal = { kind: 'key', name: 'demo kiosk', role: 'kiosk', utility: null };

/** Compares a secret in a time that does not depend on where it differs. */
export function sameText(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

const unauthorized = (message: string) => new ApiError<ApiErrorCode>(401, 'unauthorized', message);

/**
 * Who a token acts for: a staff JWT whose session is live, or an API key not revoked. Throws a 401
 * ApiError otherwise. The HTTP access control and the live stream's handshake both ask it.
 */
export async function principalOfToken(app: FastifyInstance, db: Queryable, token: string): Promise<Principal> {
  if (token.startsWith(API_KEY_PREFIX)) {
    const key = await findLiveApiKey(db, apiKeyHash(token));
    if (!key) throw unauthorized('unknown or revoked API key');
    return { kind: 'key', name: key.name, role: key.role, utility: key.utility };
  }
  let claims: StaffClaims;
  try {
    claims = app.jwt.verify<StaffClaims>(token);
  } catch {
    throw unauthorized('the token is not valid or has expired; sign in again');
  }
  if (!(await sessionIsLive(db, claims.jti))) throw unauthorized('the token was revoked; sign in again');
  return { kind: 'user', name: claims.sub, role: claims.role, utility: claims.utility };
}
