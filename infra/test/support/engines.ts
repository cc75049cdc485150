import { randomBytes } from 'node:crypto';
import { type Db, openPglite, openPostgres, startEmbeddedBroker } from '@city/ingest';
import pg from 'pg';
import { pino } from 'pino';

export type EngineKind = 'embedded' | 'real';

/**
 * The engine sets a suite runs on: always the embedded ones (aedes + PGlite), and the real
 * PostgreSQL + broker as well when DATABASE_URL and MQTT_URL are set (CI sets them).
 */
export const ENGINE_KINDS: EngineKind[] = [
  'embedded',
  ...(process.env.DATABASE_URL && process.env.MQTT_URL ? (['real'] as const) : []),
];

export interface Engines {
  kind: EngineKind;
  mqttUrl: string;
  protocolVersion: 4 | 5;
  db: Db;
  /** A unique ChirpStack application id: this suite's topics never meet another run's. */
  applicationId: string;
  close(): Promise<void>;
}

export const quietLog = pino({ level: process.env.TEST_LOG_LEVEL ?? 'silent' });

export async function startEngines(kind: EngineKind): Promise<Engines> {
  const applicationId = `test-${randomBytes(6).toString('hex')}`;
  if (kind === 'embedded') {
    const broker = await startEmbeddedBroker(0);
    const db = await openPglite();
    return {
      kind,
      mqttUrl: broker.url,
      protocolVersion: 4,
      db,
      applicationId,
      close: async () => {
        await db.close().catch(() => {});
        await broker.close();
      },
    };
  }
  const scratch = await createScratchDatabase(process.env.DATABASE_URL as string);
  const db = openPostgres(scratch.url);
  return {
    kind,
    mqttUrl: process.env.MQTT_URL as string,
    protocolVersion: 5,
    db,
    applicationId,
    close: async () => {
      await db.close().catch(() => {});
      await scratch.drop();
    },
  };
}

/** A throwaway database on the real server, dropped afterwards. */
export async function createScratchDatabase(baseUrl: string): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `city_test_${randomBytes(5).toString('hex')}`;
  const admin = new pg.Client({ connectionString: baseUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(baseUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: async () => {
      const c = new pg.Client({ connectionString: baseUrl });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await c.end();
    },
  };
}

/** Polls until `check` returns true or the time is up (then fails with `what`). */
export async function waitFor(what: string, check: () => Promise<boolean>, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`timed out waiting for ${what}`);
}

export async function count(db: Db, sql: string, params: unknown[] = []): Promise<number> {
  const { rows } = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${sql}`, params);
  return rows[0]?.n ?? 0;
}
