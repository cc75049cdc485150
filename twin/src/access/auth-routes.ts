import { randomUUID } from 'node:crypto';
import { ACCESS, ApiError, ErrorBody, type Queryable } from '@city/ingest';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { ApiErrorCode } from '../contract/api-errors.ts';
import { LoginRequest, LoginResponse, Me } from '../contract/staff.ts';
import { passwordMatches } from './passwords.ts';
import { insertSession, revokeSession } from './sessions-table.ts';
import { findStaffUser } from './staff-users-table.ts';
import type { StaffClaims } from './tokens.ts';

/** Signing in and out, and who the caller is. */
export const authRoutes: FastifyPluginAsyncTypebox<{ db: Queryable; tokenTtlSeconds: number }> = async (
  app,
  { db, tokenTtlSeconds },
) => {
  app.post(
    '/auth/login',
    {
      // Its own rate limit, a strict one (server/rate-limits.ts).
      config: { access: ACCESS.public },
      schema: {
        tags: ['access'],
        summary: 'Sign in: a token for `Authorization: Bearer <token>`',
        body: LoginRequest,
        response: { 200: LoginResponse, 401: ErrorBody },
      },
    },
    async (request) => {
      const { username, password } = request.body;
      request.auditTarget = username;
      const user = await findStaffUser(db, username);
      if (!(await passwordMatches(user?.passwordHash, password)) || !user || user.disabled) {
        throw new ApiError<ApiErrorCode>(401, 'unauthorized', 'wrong username or password, or the account is disabled');
      }
      const jti = randomUUID();
      const expiresAt = new Date(Date.now() + tokenTtlSeconds * 1000);
      await insertSession(db, jti, user.username, expiresAt);
      const claims: StaffClaims = { sub: user.username, role: user.role, utility: user.utility, jti };
      request.principal = { kind: 'user', name: user.username, role: user.role, utility: user.utility };
      return {
        token: app.jwt.sign(claims, { expiresIn: tokenTtlSeconds }),
        role: user.role,
        expiresAt: expiresAt.toISOString(),
      };
    },
  );

  app.post(
    '/auth/logout',
    {
      config: { access: ACCESS.read },
      schema: { tags: ['access'], summary: 'Revoke the token this request carries', response: { 204: {} } },
    },
    async (request, reply) => {
      // An API key is revoked by an admin (DELETE /api-keys/{id}), not by itself.
      const token = request.headers.authorization?.slice('Bearer '.length) ?? '';
      if (request.principal?.kind === 'user') await revokeSession(db, app.jwt.decode<StaffClaims>(token)?.jti ?? '');
      return reply.status(204).send();
    },
  );

  app.get(
    '/auth/me',
    {
      config: { access: ACCESS.read },
      schema: { tags: ['access'], summary: 'Who this token or key acts for', response: { 200: Me } },
    },
    async (request) => request.principal as NonNullable<typeof request.principal>,
  );
};
