import { join } from 'node:path';
import type { MqttClient } from 'mqtt';
import type { Logger } from 'pino';
import type { IngestConfig } from './config/ingest-settings.ts';
import { DeviceRegistry } from './devices/registry.ts';
import { type IngestApiBackend, keepRegistryFresh, publishWith, storeAndBrokerChecks } from './http/api-backend.ts';
import { subscribe } from './mqtt/subscriber.ts';
import { Ingest } from './pipeline/ingest.ts';
import { createIngestMetrics } from './pipeline/prometheus.ts';
import { Spool } from './spool/spool.ts';
import { type Db, openDb } from './store/db.ts';
import { migrate } from './store/migrate.ts';

export interface IngestService {
  db: Db;
  registry: DeviceRegistry;
  ingest: Ingest;
  mqtt: MqttClient;
  /** What a server mounts ingest's routes on: this service's store, registry, broker and health. */
  api: IngestApiBackend;
  close(): Promise<void>;
}

/**
 * Ingest as a running service: database (migrated), device registry, pipeline and the MQTT
 * subscription. `close()` stops reading, commits what was accepted, and closes the database.
 */
export async function startIngestService(
  config: IngestConfig,
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
  const stopRefresh = keepRegistryFresh(registry, log);

  const api: IngestApiBackend = {
    db,
    registry,
    publish: publishWith(mqtt),
    checks: {
      ...storeAndBrokerChecks(db, mqtt, opts.mqttUrl),
      ingest: () => ({
        up: ingest.lastWriteError === null,
        bufferedFrames: ingest.depth,
        lastCommitAt: ingest.lastCommitAt,
        lastWriteError: ingest.lastWriteError,
        devices: registry.size,
      }),
    },
    metricRegistries: [ingest.metrics.registry],
  };

  return {
    db,
    registry,
    ingest,
    mqtt,
    api,
    close: async () => {
      stopRefresh();
      await mqtt.endAsync();
      await ingest.stop();
      await db.close();
    },
  };
}
