import { join } from 'node:path';
import type { FastifyPluginAsync } from 'fastify';
import type { MqttClient } from 'mqtt';
import type { Logger } from 'pino';
import { buildApi } from './api/app.ts';
import type { HealthChecks } from './api/health.ts';
import type { Config } from './config.ts';
import { DeviceRegistry } from './devices/registry.ts';
import { subscribe } from './mqtt/subscriber.ts';
import { Ingest } from './pipeline/ingest.ts';
import { createIngestMetrics } from './pipeline/metrics.ts';
import { Spool } from './spool/spool.ts';
import { type Db, openDb } from './store/db.ts';
import { migrate } from './store/migrate.ts';

export interface IngestService {
  db: Db;
  registry: DeviceRegistry;
  ingest: Ingest;
  mqtt: MqttClient;
  checks: HealthChecks;
  close(): Promise<void>;
}

const REGISTRY_REFRESH_MS = 10_000;

/**
 * Ingest as a running service: database (migrated), device registry, pipeline and the MQTT
 * subscription. `close()` stops reading, commits what was accepted, and closes the database.
 */
export async function startIngestService(
  config: Config,
  opts: { log: Logger; mqttUrl: string; protocolVersion: 4 | 5; db?: Db },
): Promise<IngestService> {
  const { log } = opts;
  const db = opts.db ?? (await openDb({ databaseUrl: config.databaseUrl, dataDir: config.dataDir }));
  await migrate(db, { retentionDays: config.retentionDays });
  log.info({ engine: db.engine, timescale: db.timescale }, 'database ready');
  const registry = new DeviceRegistry(db);
  await registry.load();
  const spoolDir = config.spoolDir ?? join(config.dataDir, 'spool');
  const spool = spoolDir === 'off' ? undefined : new Spool(join(spoolDir, config.mqttClientId));
  const ingest = new Ingest(db, registry, createIngestMetrics(), log, config, spool);
  if (spool) {
    const { frames, refs } = spool.recover();
    if (frames.length > 0) {
      log.warn({ frames: frames.length }, 'replaying frames a previous run received but did not commit');
      await ingest.replay(frames, refs);
    }
  }
  const topics = [config.eventTopic, ...(config.ttsTopic ? [config.ttsTopic] : [])];
  const mqtt = subscribe(
    {
      url: opts.mqttUrl,
      clientId: config.mqttClientId,
      topics,
      shareGroup: config.mqttShareGroup,
      protocolVersion: opts.protocolVersion,
      beforeAcks: () => ingest.flushSpool(),
      sessionExpirySeconds: config.sessionExpirySeconds,
    },
    (topic, payload) => ingest.accept(topic, payload),
    log,
  );
  const refresher = setInterval(() => {
    registry.refresh().catch((err: Error) => log.warn({ err: err.message }, 'device registry refresh failed'));
  }, REGISTRY_REFRESH_MS);
  refresher.unref();

  const checks: HealthChecks = {
    db: async () => ({ up: await db.ping(), engine: db.engine, timescale: db.timescale }),
    mqtt: () => ({ up: mqtt.connected, url: redact(opts.mqttUrl) }),
    ingest: () => ({
      up: ingest.lastWriteError === null,
      bufferedFrames: ingest.depth,
      lastCommitAt: ingest.lastCommitAt,
      lastWriteError: ingest.lastWriteError,
      devices: registry.size,
    }),
  };

  return {
    db,
    registry,
    ingest,
    mqtt,
    checks,
    close: async () => {
      clearInterval(refresher);
      await mqtt.endAsync();
      await ingest.stop();
      await db.close();
    },
  };
}

type ApiExtras = { checks?: HealthChecks; routes?: FastifyPluginAsync[] };

/** The HTTP API over a running ingest service (not yet listening): its health, metrics and downlinks. */
export function serviceApi(service: IngestService, log: Logger, extra: ApiExtras = {}) {
  return buildApi({
    db: service.db,
    registry: service.registry,
    checks: { ...service.checks, ...extra.checks },
    metricRegistries: [service.ingest.metrics.registry],
    publish: async (topic, payload) => {
      await service.mqtt.publishAsync(topic, payload, { qos: 1 });
    },
    logger: log,
    extraRoutes: extra.routes ?? [],
  });
}

/** The same API, listening on config.port. */
export async function startApi(service: IngestService, config: Config, log: Logger, extra: ApiExtras = {}) {
  const app = await serviceApi(service, log, extra);
  await app.listen({ port: config.port, host: config.host });
  return app;
}

function redact(url: string): string {
  return url.replace(/\/\/[^@/]*@/, '//***@');
}
