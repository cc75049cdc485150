import { join } from 'node:path';
import type { MqttClient } from 'mqtt';
import type { Logger } from 'pino';
import type { IngestConfig } from './config/ingest-settings.ts';
import { DeviceRegistry } from './devices/registry.ts';
import {
  type IngestApiBackend,
  keepRegistryFresh,
  type Publish,
  publishWith,
  storeAndBrokerChecks,
} from './http/api-backend.ts';
import type { EmbeddedBroker } from './mqtt/embedded-broker.ts';
import { subscribe } from './mqtt/subscriber.ts';
import { attachOutputs, openOutputs } from './outputs/index.ts';
import { Ingest } from './pipeline/ingest.ts';
import { createIngestMetrics } from './pipeline/prometheus.ts';
import { Spool } from './spool/spool.ts';
import { type Db, openDb } from './store/db.ts';
import { migrate } from './store/migrate.ts';

export interface IngestService {
  db: Db;
  registry: DeviceRegistry;
  ingest: Ingest;
  /** Ingest's subscription to a real broker; undefined when the embedded broker feeds it. */
  mqtt: MqttClient | undefined;
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
  opts: { log: Logger; db?: Db } & ({ mqttUrl: string; protocolVersion: 4 | 5 } | { broker: EmbeddedBroker }),
): Promise<IngestService> {
  const { log } = opts;
  const db = opts.db ?? (await openDb({ databaseUrl: config.databaseUrl, dataDir: config.dataDir }));
  await migrate(db, { retentionDays: config.retentionDays });
  log.info({ engine: db.engine, timescale: db.timescale }, 'database ready');
  const registry = new DeviceRegistry(db, config.adoptPerHour);
  await registry.load();
  const spoolDir = config.spoolDir ?? join(config.dataDir, 'spool');
  const spool = spoolDir === 'off' ? undefined : new Spool(join(spoolDir, config.mqttClientId));
  const ingest = new Ingest(db, registry, createIngestMetrics(undefined, db.memoryBytes), log, config, spool);
  // Before the replay, so that twins apart from ingest hear of the replayed frames too.
  const broker = 'broker' in opts ? undefined : { url: opts.mqttUrl, protocolVersion: opts.protocolVersion };
  const detachOutputs = attachOutputs(ingest, openOutputs(config, { log, registry: ingest.metrics.registry, broker }));
  if (spool) {
    const { frames, refs } = spool.recover();
    if (frames.length > 0) {
      log.warn({ frames: frames.length }, 'replaying frames a previous run received but did not commit');
      await ingest.replay(frames, refs);
    }
  }
  const topics = [config.eventTopic, ...(config.ttsTopic ? [config.ttsTopic] : [])];
  // The embedded broker hands ingest its frames on its publish path, where its PUBACK can wait
  // for the spool (EmbeddedBroker.consume); a real broker is subscribed to, and MQTT.js holds
  // ingest's PUBACK instead. Either way an acknowledged frame is spooled.
  let mqtt: MqttClient | undefined;
  let link: { connection: { readonly connected: boolean }; url: string; publish: Publish };
  let stopTaking: () => Promise<void>;
  if ('broker' in opts) {
    const detach = opts.broker.consume({
      topics,
      accept: (topic, payload) => ingest.accept(topic, payload),
      beforeAcks: () => ingest.flushSpool(),
    });
    stopTaking = async () => detach();
    link = { connection: opts.broker, url: opts.broker.url, publish: opts.broker.publish };
  } else {
    const client = subscribe(
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
    mqtt = client;
    stopTaking = async () => void (await client.endAsync());
    link = { connection: client, url: opts.mqttUrl, publish: publishWith(client) };
  }
  const stopRefresh = keepRegistryFresh(registry, log);

  const api: IngestApiBackend = {
    db,
    registry,
    publish: link.publish,
    checks: {
      ...storeAndBrokerChecks(db, link.connection, link.url),
      ingest: () => ({
        up: ingest.failingWriters === 0,
        failingWriters: ingest.failingWriters,
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
      await stopTaking();
      try {
        await ingest.stop();
      } finally {
        await detachOutputs();
      }
      await db.close();
    },
  };
}
