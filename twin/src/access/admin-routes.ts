import { ACCESS, ApiError, ErrorBody, type Queryable } from '@city/ingest';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { ApiErrorCode } from '../contract/api-errors.ts';
import {
  ApiKeyCreated,
  ApiKeyInfo,
  AuditEntry,
  AuditQuery,
  IdParams,
  NewApiKey,
  NewStaffUser,
  StaffUser,
  StaffUserPatch,
  UsernameParams,
} from '../contract/staff.ts';
import { insertApiKey, listApiKeys, revokeApiKey } from './api-keys-table.ts';
import { listAuditEntries } from './audit-table.ts';
import { hashPassword, passwordProblem } from './passwords.ts';
import { revokeSessionsOf } from './sessions-table.ts';
import { insertStaffUser, listStaffUsers, updateStaffUser } from './staff-users-table.ts';
import { apiKeyHash, newApiKey } from './tokens.ts';

const refused = (status: number, code: ApiErrorCode, message: string) =>
  new ApiError<ApiErrorCode>(status, code, message);

function checkedPassword(password: string): string {
  const problem = passwordProblem(password);
  if (problem) throw refused(400, 'bad_request', problem);
  return password;
}

/** What admins manage: staff accounts, API keys, and the audit log they read. */
export const adminRoutes: FastifyPluginAsyncTypebox<{ db: Queryable }> = async (app, { db }) => {
  const admin = { access: ACCESS.admin };

  app.get(
    '/users',
    {
      config: admin,
      schema: { tags: ['access'], summary: 'Staff accounts', response: { 200: Type.Array(StaffUser) } },
    },
    async () => listStaffUsers(db),
  );

  app.post(
    '/users',
    {
      config: admin,
      schema: {
        tags: ['access'],
        summary: 'Create a staff account',
        body: NewStaffUser,
        response: { 201: StaffUser, 400: ErrorBody, 409: ErrorBody },
      },
    },
    async (request, reply) => {
      const { username, password, role, utility } = request.body;
      const passwordHash = await hashPassword(checkedPassword(password));
      const user = await insertStaffUser(db, { username, passwordHash, role, utility: utility ?? null });
      if (!user) throw refused(409, 'conflict', `user ${username} exists`);
      request.auditTarget = username;
      return reply.status(201).send(user);
    },
  );

  app.patch(
    '/users/:username',
    {
      config: admin,
      schema: {
        tags: ['access'],
        summary: "Change an account's password, role, utility, or disable it (its tokens stop working)",
        params: UsernameParams,
        body: StaffUserPatch,
        response: { 200: StaffUser, 400: ErrorBody, 404: ErrorBody },
      },
    },
    async (request) => {
      const { password, ...rest } = request.body;
      const passwordHash = password === undefined ? undefined : await hashPassword(checkedPassword(password));
      const user = await updateStaffUser(db, request.params.username, { ...rest, passwordHash });
      if (!user) throw refused(404, 'not_found', `no user ${request.params.username}`);
      // A token carries the role it was issued with: any change ends the account's sessions.
      await revokeSessionsOf(db, user.username);
      return user;
    },
  );

  app.get(
    '/api-keys',
    {
      config: admin,
      schema: { tags: ['access'], summary: 'API keys (without the keys)', response: { 200: Type.Array(ApiKeyInfo) } },
    },
    async () => listApiKeys(db),
  );

  app.post(
    '/api-keys',
    {
      config: admin,
      schema: {
        tags: ['access'],
        summary: 'Create an API key for an integration or a wall screen (`kiosk`); the key is shown once',
        body: NewApiKey,
        response: { 201: ApiKeyCreated },
      },
    },
    async (request, reply) => {
      const key = newApiKey();
      const info = await insertApiKey(db, {
        name: request.body.name,
        keyHash: apiKeyHash(key),
        role: request.body.role,
        utility: request.body.utility ?? null,
        createdBy: request.principal?.name ?? '',
      });
      request.auditTarget = `api key ${info.id} (${info.name})`;
      return reply.status(201).send({ ...info, key });
    },
  );

  app.delete(
    '/api-keys/:id',
    {
      config: admin,
      schema: {
        tags: ['access'],
        summary: 'Revoke an API key',
        params: IdParams,
        response: { 200: ApiKeyInfo, 404: ErrorBody },
      },
    },
    async (request) => {
      const info = await revokeApiKey(db, request.params.id);
      if (!info) throw refused(404, 'not_found', `no API key ${request.params.id}`);
      return info;
    },
  );

  app.get(
    '/audit',
    {
      config: admin,
      schema: {
        tags: ['access'],
        summary: 'Every state-changing request: who, what, the target, from where, the answer',
        querystring: AuditQuery,
        response: { 200: Type.Array(AuditEntry) },
      },
    },
    async (request) => listAuditEntries(db, request.query),
  );
};
