import {
  type Db,
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
  /**
   * Requests signed in as a staff member of `role` (an account made for it; a new session each
   * time); a dispatcher is of `utility`, by default the water utility.
   */
  as(role: StaffRole, utility?: string | null): Promise<Inject>;
  /** Requests with a new API key of `role`, made by the admin. */
  withKey(role: PrincipalRole): Promise<{ inject: Inject; id: number }>;
  close(): Promise<void>;
}

/** Where a test server's data lives, and what is in it before the server starts. */
export interface TestDatabase {
  /** The database (default an in-memory PGlite); see ENGINES in ./engines.ts. */
  open?: () => Promise<Db>;
  /** Runs on it, with ingest's tables, before the server starts: as at a restart, the server's index reads what it wrote. */
  before?: (db: Db) => Promise<void>;
}

/** The platform's server on a database with ingest's tables, as a test needs it. */
export async function testServer(
  options: Partial<ServerOptions> = {},
  database: TestDatabase = {},
): Promise<TestServer> {
  const db = await (database.open ?? openPglite)();
  await migrate(db);
  await database.before?.(db);
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
  const as = async (role: StaffRole, utility: string | null = role === 'dispatcher' ? 'vodokanal' : null) => {
    const username =
      utility === (role === 'dispatcher' ? 'vodokanal' : null)
        ? `${role}-of-the-test`
        : `${role}-of-${utility ?? 'none'}`;
    const password = `a password for ${username}`;
    await ensureAccount(db, { username, password, role, utility }, { demo: true });
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
