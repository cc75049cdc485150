import {
  type Db,
  INGEST_SETTINGS,
  type IngestConfig,
  type IngestService,
  loadSettings,
  startIngestService,
} from '@city/ingest';
import { buildServer } from '@city/twin';
import type { FastifyInstance } from 'fastify';
import { quietLog, TEST_SPOOL_DIR } from './engines.ts';

/** What a test's ingest runs on; a started `Engines` is one. */
export interface TestIngestOptions {
  /** Only this application's events are read (engines.ts: unique per run). */
  applicationId: string;
  mqttUrl: string;
  protocolVersion: 4 | 5;
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
      mqttClientId: opts.clientId ?? `ingest-${opts.applicationId}`,
      batchSize: 500,
      flushMs: 50,
      spoolDir: TEST_SPOOL_DIR,
      sessionExpirySeconds: 60,
      ...opts.overrides,
    },
  );
  const service = await startIngestService(config, {
    log: quietLog,
    mqttUrl: opts.mqttUrl,
    protocolVersion: opts.protocolVersion,
    db: opts.db,
  });
  try {
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`ingest did not subscribe on ${opts.mqttUrl}`)), 15_000);
      service.mqtt.on('packetreceive', (packet) => {
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

/** The platform's server over a test's ingest service, as `pnpm start` builds it (not listening). */
export function platformServer(service: IngestService): Promise<FastifyInstance> {
  return buildServer({ logger: quietLog, ingest: service.api });
}
