import { randomBytes } from 'node:crypto';
import mqtt, { type MqttClient } from 'mqtt';
import type { Logger } from 'pino';
import type { Registry } from 'prom-client';
import type { IngestConfig } from '../config/ingest-settings.ts';
import { redactUrl } from '../config/redact-url.ts';
import { DeviceRegistry } from '../devices/registry.ts';
import { type Db, openDb } from '../store/db.ts';
import { migrate } from '../store/migrate.ts';
import type { HealthChecks } from './ops-routes.ts';

/** Sends an MQTT message at QoS 1; resolves when the broker has it. */
export type Publish = (topic: string, payload: Buffer) => Promise<void>;

/**
 * What a server needs to mount ingest's HTTP routes: the store, the device registry, a way to
 * publish downlinks (without one, downlinks answer 503), and the health checks and metrics of
 * the ingest parts it runs.
 */
export interface IngestApiBackend {
  db: Db;
  registry: DeviceRegistry;
  publish?: Publish;
  checks: HealthChecks;
  metricRegistries: Registry[];
}

const REGISTRY_REFRESH_MS = 10_000;

/**
 * Keeps a registry's cache in step with devices other processes register or change; returns
 * the function that stops it.
 */
export function keepRegistryFresh(registry: DeviceRegistry, log: Logger): () => void {
  const timer = setInterval(() => {
    registry.refresh().catch((err: Error) => log.warn({ err: err.message }, 'device registry refresh failed'));
  }, REGISTRY_REFRESH_MS);
  timer.unref();
  return () => clearInterval(timer);
}

/**
 * Ingest's API side for a server process that does not run the pipeline (the platform server
 * in production, beside separate ingest processes): the migrated store, a registry kept fresh,
 * and a plain broker client for downlinks. Its client id is its own, so it never takes over
 * an ingest session.
 */
export async function openIngestApiBackend(
  config: IngestConfig,
  opts: { log: Logger; mqttUrl: string },
): Promise<IngestApiBackend & { close(): Promise<void> }> {
  const db = await openDb({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
  await migrate(db, { retentionDays: config.retentionDays });
  const registry = new DeviceRegistry(db);
  await registry.load();
  const stopRefresh = keepRegistryFresh(registry, opts.log);
  const client = mqtt.connect(opts.mqttUrl, {
    clientId: `${config.mqttClientId}-api-${randomBytes(4).toString('hex')}`,
    reconnectPeriod: 1000,
  });
  client.on('error', (err) => opts.log.warn({ err: err.message }, 'mqtt publisher error'));
  return {
    db,
    registry,
    publish: publishWith(client),
    checks: storeAndBrokerChecks(db, client, opts.mqttUrl),
    metricRegistries: [],
    close: async () => {
      stopRefresh();
      await client.endAsync();
      await db.close();
    },
  };
}

/** Publishes downlinks through a broker client, at QoS 1. */
export function publishWith(client: MqttClient): Publish {
  return async (topic, payload) => {
    await client.publishAsync(topic, payload, { qos: 1 });
  };
}

/** /health's view of the store and of a broker connection (its URL without credentials). */
export function storeAndBrokerChecks(db: Db, client: { readonly connected: boolean }, url: string): HealthChecks {
  return {
    db: async () => ({ up: await db.ping(), engine: db.engine, timescale: db.timescale }),
    mqtt: () => ({ up: client.connected, url: redactUrl(url) }),
  };
}
