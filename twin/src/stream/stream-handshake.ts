import type { IncomingMessage } from 'node:http';
import { ApiError, type Principal, type Queryable } from '@city/ingest';
import type { FastifyInstance } from 'fastify';
import { Value } from 'typebox/value';
import { DEMO_KIOSK, principalOfToken, sameText } from '../access/access-control.ts';
import type { ApiErrorCode } from '../contract/api-errors.ts';
import { MAX_ROOMS_PER_KIND, RoomSelection, StreamAuth } from '../contract/stream.ts';

/** A refused handshake, as the client's `connect_error` shows it: `err.message`, and `err.data` the API's error body. */
export class StreamError extends Error {
  readonly data: { error: ApiErrorCode; message: string };
  constructor(code: ApiErrorCode, message: string) {
    super(message);
    this.data = { error: code, message };
  }
}

export interface HandshakeOptions {
  app: FastifyInstance;
  db: Queryable;
  /** The embedded demo's: a handshake without a token, or with this one, is the demo kiosk. */
  demoKioskToken?: string | undefined;
}

/** What a client asked for in its handshake `auth`, once checked: who it is, and where to resume. */
export interface Handshake {
  principal: Principal;
  /** The token it came with, to check again while it stays connected (revoked, expired). */
  token: string | undefined;
  lastEventId: number | undefined;
  rooms: RoomSelection;
}

/** Checks a handshake's `auth`; throws a StreamError the client sees when it is refused. */
export async function acceptHandshake(auth: unknown, opts: HandshakeOptions): Promise<Handshake> {
  const given = checkedAuth(auth);
  return {
    principal: await principalOf(given.token, opts),
    token: given.token,
    lastEventId: given.lastEventId,
    rooms: given.rooms ?? {},
  };
}

/** Who a token acts for now; throws a StreamError when it is missing, unknown, revoked or expired. */
export async function principalOf(token: string | undefined, opts: HandshakeOptions): Promise<Principal> {
  if (opts.demoKioskToken !== undefined && (token === undefined || sameText(token, opts.demoKioskToken)))
    return DEMO_KIOSK;
  if (token === undefined)
    throw new StreamError('unauthorized', 'send auth.token: a staff token (POST /api/v1/auth/login) or an API key');
  try {
    return await principalOfToken(opts.app, opts.db, token);
  } catch (err) {
    if (err instanceof ApiError) throw new StreamError(err.code as ApiErrorCode, err.message);
    throw new StreamError('unavailable', 'the token could not be checked now; retry');
  }
}

/** A `join`/`leave` payload, checked; a string naming the problem when it is refused. */
export function checkedRooms(rooms: unknown): RoomSelection | string {
  return Value.Check(RoomSelection, rooms) ? rooms : firstError(RoomSelection, rooms);
}

/** After a join, a client holds at most MAX_ROOMS_PER_KIND districts and as many types. */
export function tooManyRooms(districts: number, objectTypes: number): string | undefined {
  if (districts > MAX_ROOMS_PER_KIND || objectTypes > MAX_ROOMS_PER_KIND)
    return `at most ${MAX_ROOMS_PER_KIND} districts and ${MAX_ROOMS_PER_KIND} object types per client`;
  return undefined;
}

/**
 * Browsers' pages may open the stream from the same origin or from CORS_ORIGINS only, as for the
 * HTTP API. WebSockets are not held back by CORS, so the handshake checks the Origin itself;
 * clients that are no browser send none.
 */
export function originAllowed(req: IncomingMessage, corsOrigins: readonly string[]): boolean {
  const origin = req.headers.origin;
  if (origin === undefined || corsOrigins.includes(origin)) return true;
  try {
    return new URL(origin).host === req.headers.host;
  } catch {
    return false;
  }
}

function checkedAuth(auth: unknown): StreamAuth {
  // A client that sends no `auth` at all hands socket.io nothing, which it passes as {}.
  if (!Value.Check(StreamAuth, auth)) throw new StreamError('bad_request', `auth: ${firstError(StreamAuth, auth)}`);
  return auth;
}

function firstError(schema: typeof StreamAuth | typeof RoomSelection, value: unknown): string {
  const [first] = Value.Errors(schema, value);
  return first ? `${first.instancePath || '/'} ${first.message}` : 'not valid';
}
