import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  type Db,
  type EmbeddedBroker,
  networkServerAccount,
  openPglite,
  openPostgres,
  startEmbeddedBroker,
} from '@city/ingest';
import pg from 'pg';
import { pino } from 'pino';
import { startThrowawayMosquitto } from './throwaway-mosquitto.ts';
import { startThrowawayPostgres } from './throwaway-postgres.ts';

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
  /** With the network server's credentials on the embedded broker: what test publishers use. */
  mqttUrl: string;
  protocolVersion: 4 | 5;
  /** The embedded broker, which feeds ingest directly; undefined on real engines. */
  broker?: EmbeddedBroker;
  db: Db;
  /** A unique ChirpStack application id: this suite's topics never meet another run's. */
  applicationId: string;
  close(): Promise<void>;
}

/** Ingest spools of test runs go to the temporary directory, one subfolder per client id. */
export const TEST_SPOOL_DIR = join(tmpdir(), 'city-test-spool');

export const quietLog = pino({ level: process.env.TEST_LOG_LEVEL ?? 'silent' });

/** The network server's account on the suites' embedded brokers. */
export const TEST_MQTT_ACCOUNT = networkServerAccount('test-network-server', randomBytes(9).toString('base64url'));

/** An embedded broker's URL with the network server's credentials in it, as MQTT.js takes them. */
export function withTestAccount(url: string): string {
  const u = new URL(url);
  u.username = TEST_MQTT_ACCOUNT.username;
  u.password = TEST_MQTT_ACCOUNT.password;
  return u.toString();
}

/** The client id of a suite's ingest (support/ingest.ts), which its embedded broker reserves. */
export function testIngestClientId(applicationId: string): string {
  return `ingest-${applicationId}`;
}

/** A ChirpStack application id no other run uses: topics under it meet nobody else's. */
export function newApplicationId(): string {
  return `test-${randomBytes(6).toString('hex')}`;
}

export async function startEngines(kind: EngineKind): Promise<Engines> {
  const applicationId = newApplicationId();
  if (kind === 'embedded') {
    const broker = await startEmbeddedBroker({
      port: 0,
      host: '127.0.0.1',
      accounts: [TEST_MQTT_ACCOUNT],
      reservedClientId: testIngestClientId(applicationId),
    });
    const db = await openPglite();
    return {
      kind,
      mqttUrl: withTestAccount(broker.url),
      protocolVersion: 4,
      broker,
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

/** A PostgreSQL database of the suite's own, with its URL and how to get rid of it. */
export interface TestDatabase {
  url: string;
  /** `scratch`: a database on the server at DATABASE_URL; `throwaway`: a private server. */
  kind: 'scratch' | 'throwaway';
  close(): Promise<void>;
}

/** A scratch database on DATABASE_URL when set, else a private throwaway PostgreSQL server. */
export async function testPostgres(): Promise<TestDatabase> {
  if (process.env.DATABASE_URL) {
    const scratch = await createScratchDatabase(process.env.DATABASE_URL);
    return { url: scratch.url, kind: 'scratch', close: () => scratch.drop() };
  }
  const server = await startThrowawayPostgres();
  return { url: server.url, kind: 'throwaway', close: () => server.destroy() };
}

/** An MQTT v5 broker: the one at MQTT_URL when set, else a private throwaway Mosquitto. */
export async function testV5Broker(): Promise<{ url: string; kind: 'real' | 'throwaway'; close(): Promise<void> }> {
  if (process.env.MQTT_URL) return { url: process.env.MQTT_URL, kind: 'real', close: async () => {} };
  const broker = await startThrowawayMosquitto();
  return { url: broker.url, kind: 'throwaway', close: () => broker.destroy() };
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
