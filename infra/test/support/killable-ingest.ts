import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Db, openPostgres } from '@city/ingest';
import mqtt, { type MqttClient } from 'mqtt';
import { newApplicationId, type TestDatabase, testPostgres } from './engines.ts';
import { bounded } from './net.ts';
import { type ServiceProcess, spawnIngest } from './service-process.ts';
import { startThrowawayMosquitto, type ThrowawayMosquitto } from './throwaway-mosquitto.ts';

/**
 * What a kill -9 suite runs on: a PostgreSQL and a Mosquitto of its own, a publisher, and
 * ingest as an OS process whose spool lives in a folder of the suite's, so that a restart finds
 * what the killed process had acknowledged.
 */
export interface KillableIngest {
  applicationId: string;
  db: Db;
  publisher: MqttClient;
  /** The ingest process now running. */
  readonly ingest: ServiceProcess;
  /** Kills ingest with SIGKILL: no shutdown, nothing committed that was not already. */
  kill(): Promise<void>;
  /** Starts ingest again on the same spool. */
  restart(): Promise<ServiceProcess>;
  close(): Promise<void>;
}

export async function startKillableIngest(opts: {
  name: string;
  /** How long frames may wait before a commit: long, so that a kill lands on uncommitted ones. */
  flushMs: number;
  /** Runs on the migrated database before ingest starts (none: ingest migrates it). */
  prepare?: (db: Db) => Promise<void>;
}): Promise<KillableIngest> {
  const applicationId = newApplicationId();
  const spoolDir = mkdtempSync(join(tmpdir(), `${opts.name}-spool-`));
  let database: TestDatabase | undefined;
  let broker: ThrowawayMosquitto | undefined;
  let db: Db | undefined;
  const spawn = () =>
    spawnIngest({
      DATABASE_URL: database?.url as string,
      MQTT_URL: broker?.url as string,
      MQTT_CLIENT_ID: `${opts.name}-${applicationId}`,
      EVENT_TOPIC: `application/${applicationId}/device/+/event/+`,
      SPOOL_DIR: spoolDir,
      FLUSH_MS: String(opts.flushMs),
      BATCH_SIZE: '100000',
    });
  const close = async (ingest?: ServiceProcess, publisher?: MqttClient) => {
    await bounded(() => ingest?.stop('SIGKILL') ?? Promise.resolve(), 5_000);
    await bounded(() => publisher?.endAsync(true) ?? Promise.resolve(), 5_000);
    await bounded(() => db?.close() ?? Promise.resolve());
    await bounded(() => database?.close() ?? Promise.resolve());
    await bounded(() => broker?.destroy() ?? Promise.resolve());
    rmSync(spoolDir, { recursive: true, force: true });
  };
  try {
    [database, broker] = await Promise.all([testPostgres(), startThrowawayMosquitto()]);
    db = openPostgres(database.url);
    await opts.prepare?.(db);
    let ingest = await spawn();
    const publisher = await mqtt.connectAsync(broker.url, { clientId: `pub-${applicationId}`, clean: false });
    return {
      applicationId,
      db,
      publisher,
      get ingest() {
        return ingest;
      },
      kill: () => ingest.stop('SIGKILL'),
      restart: async () => {
        ingest = await spawn();
        return ingest;
      },
      close: () => close(ingest, publisher),
    };
  } catch (err) {
    await close();
    throw err;
  }
}
