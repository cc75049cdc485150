import {
  type Db,
  type EmbeddedBroker,
  INGEST_SETTINGS,
  type IngestConfig,
  type IngestService,
  loadSettings,
  type Queryable,
  type StaffRole,
  startIngestService,
} from '@city/ingest';
import { buildServer, ensureAccount } from '@city/twin';
import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify';
import { quietLog, TEST_SPOOL_DIR, testIngestClientId } from './engines.ts';

/** What a test's ingest runs on; a started `Engines` is one. */
export interface TestIngestOptions {
  /** Only this application's events are read (engines.ts: unique per run). */
  applicationId: string;
  mqttUrl: string;
  protocolVersion: 4 | 5;
  /** When set, ingest takes its frames from this embedded broker's publish path. */
  broker?: EmbeddedBroker | undefined;
  db: Db;
  clientId?: string;
  overrides?: Partial<IngestConfig>;
}

/**
 * An ingest service on the given engines, resolved once its subscription is acknowledged
 * (not merely connected: on a new session, a frame published before the SUBACK is lost).
 * Sessions expire a minute after the test, so the shared broker keeps nothing of ours.
 */
export async function startTestIngest(opts: TestIngestOptions): Promise<IngestService> {
  const config = loadSettings(
    INGEST_SETTINGS,
    {},
    {
      eventTopic: `application/${opts.applicationId}/device/+/event/+`,
      ttsTopic: '',
      mqttClientId: opts.clientId ?? testIngestClientId(opts.applicationId),
      batchSize: 500,
      flushMs: 50,
      spoolDir: TEST_SPOOL_DIR,
      sessionExpirySeconds: 60,
      ...opts.overrides,
    },
  );
  const source = opts.broker
    ? { broker: opts.broker }
    : { mqttUrl: opts.mqttUrl, protocolVersion: opts.protocolVersion };
  const service = await startIngestService(config, { log: quietLog, db: opts.db, ...source });
  // Fed by the embedded broker, ingest takes frames from the moment it starts.
  const mqtt = service.mqtt;
  if (!mqtt) return service;
  try {
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`ingest did not subscribe on ${opts.mqttUrl}`)), 15_000);
      mqtt.on('packetreceive', (packet) => {
        if (packet.cmd !== 'suback') return;
        clearTimeout(timer);
        resolve();
      });
    });
  } catch (err) {
    await service.close().catch(() => {});
    throw err;
  }
  return service;
}

/** The sum of a prom-client counter over all its labels. */
export async function counterValue(counter: { get(): Promise<{ values: { value: number }[] }> }): Promise<number> {
  const { values } = await counter.get();
  return values.reduce((sum, v) => sum + v.value, 0);
}

/** One component of the service's /health answer: `db`, `mqtt` or `ingest`. */
export async function health(
  service: IngestService,
  component: 'db' | 'mqtt' | 'ingest',
): Promise<{ up: boolean; [detail: string]: unknown }> {
  const check = service.api.checks[component];
  if (!check) throw new Error(`no ${component} health check`);
  return await check();
}

/** Staff tokens of test servers: a fixed key, a day's life. */
const TEST_AUTH = { jwtSecret: 'test-secret-test-secret-test-secret', tokenTtlSeconds: 86_400 };

/** A server whose requests go signed in (as an admin unless they send their own Authorization). */
export interface SignedInServer {
  app: FastifyInstance;
  inject(opts: InjectOptions): Promise<LightMyRequestResponse>;
  close(): Promise<void>;
}

/** The platform's server over a test's ingest service, as `pnpm start` builds it (not listening). */
export async function platformServer(service: IngestService): Promise<SignedInServer> {
  const app = await buildServer({ logger: quietLog, ingest: service.api, auth: TEST_AUTH });
  const token = await signIn(app, service.api.db, 'admin');
  return {
    app,
    inject: (opts) => app.inject({ ...opts, headers: { authorization: `Bearer ${token}`, ...opts.headers } }),
    close: () => app.close(),
  };
}

/** Creates a staff account of `role` (if missing) and signs it in; resolves to its token. */
export async function signIn(app: FastifyInstance, db: Queryable, role: StaffRole): Promise<string> {
  const username = `test-${role}`;
  const password = `test-password-of-${role}`;
  await ensureAccount(
    db,
    { username, password, role, utility: role === 'dispatcher' ? 'vodokanal' : null },
    { demo: true },
  );
  const res = await app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username, password } });
  if (res.statusCode !== 200) throw new Error(`sign-in as ${role} failed: ${res.body}`);
  return res.json().token;
}
