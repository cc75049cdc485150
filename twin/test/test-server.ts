import {
  DeviceRegistry,
  type IngestApiBackend,
  migrate,
  openPglite,
  type PrincipalRole,
  type StaffRole,
} from '@city/ingest';
import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify';
import { pino } from 'pino';
import { Registry } from 'prom-client';
import { ensureAccount } from '../src/access/accounts.ts';
import { buildServer, type ServerOptions } from '../src/server/app.ts';

export type Inject = (opts: InjectOptions) => Promise<LightMyRequestResponse>;

export interface TestServer {
  app: FastifyInstance;
  ingest: IngestApiBackend;
  /** Requests signed in as a staff member of `role` (an account made for it; a new session each time). */
  as(role: StaffRole): Promise<Inject>;
  /** Requests with a new API key of `role`, made by the admin. */
  withKey(role: PrincipalRole): Promise<{ inject: Inject; id: number }>;
  close(): Promise<void>;
}

/** The platform's server on an in-memory PGlite with ingest's tables, as a test needs it. */
export async function testServer(options: Partial<ServerOptions> = {}): Promise<TestServer> {
  const db = await openPglite();
  await migrate(db);
  const ingest: IngestApiBackend = {
    db,
    registry: new DeviceRegistry(db),
    checks: { db: async () => ({ up: await db.ping(), engine: db.engine }), mqtt: () => ({ up: false }) },
    metricRegistries: [new Registry()],
  };
  const app = await buildServer({
    logger: pino({ level: 'silent' }),
    ingest,
    auth: { jwtSecret: 'a-test-secret-a-test-secret-a-test-secret', tokenTtlSeconds: 3600 },
    rateLimits: { api: 10_000, signIn: 10_000, commands: 10_000 },
    ...options,
  });
  const bearer =
    (token: string): Inject =>
    (opts) =>
      app.inject({ ...opts, headers: { authorization: `Bearer ${token}`, ...opts.headers } });
  const as = async (role: StaffRole) => {
    const username = `${role}-of-the-test`;
    const password = `a password for ${role}`;
    await ensureAccount(
      db,
      { username, password, role, utility: role === 'dispatcher' ? 'vodokanal' : null },
      {
        demo: true,
      },
    );
    const res = await app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username, password } });
    return bearer(res.json().token);
  };
  return {
    app,
    ingest,
    as,
    withKey: async (role) => {
      const admin = await as('admin');
      const created = (
        await admin({ method: 'POST', url: '/api/v1/api-keys', payload: { name: `${role} key`, role } })
      ).json();
      return { inject: bearer(created.key), id: created.id };
    },
    close: async () => {
      await app.close();
      await db.close();
    },
  };
}
