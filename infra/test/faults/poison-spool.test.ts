import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Db, migrate, openPostgres } from '@city/ingest';
import mqtt, { type MqttClient } from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { count, newApplicationId, type TestDatabase, testPostgres, waitFor } from '../support/engines.ts';
import { EM310, em310Uplink, eventTopic, testDevice } from '../support/fleet.ts';
import { bounded } from '../support/net.ts';
import { type ServiceProcess, spawnIngest } from '../support/service-process.ts';
import { type Frame, publishSteadily } from '../support/stream.ts';
import { startThrowawayMosquitto, type ThrowawayMosquitto } from '../support/throwaway-mosquitto.ts';

const GOOD = 300;
const FLEET = 10;
/** The frame counter the database refuses (a CHECK constraint of this test's own). */
const POISON_FCNT = 666;

/**
 * A frame that every check of ingest passes but the database refuses (here: a CHECK constraint
 * the test adds, standing for any value validation does not foresee) sits in the spool when
 * ingest is killed. Before, the restart replayed it into a batch that failed forever, and the
 * API never came up; now the batch is split, the frame dead-lettered, and the rest committed.
 */
describe('poison in the spool', () => {
  const applicationId = newApplicationId();
  const spoolDir = mkdtempSync(join(tmpdir(), 'poison-spool-'));
  let database: TestDatabase | undefined;
  let broker: ThrowawayMosquitto | undefined;
  let db: Db | undefined;
  let publisher: MqttClient | undefined;
  let ingest: ServiceProcess | undefined;

  const startIngest = () =>
    spawnIngest({
      DATABASE_URL: database?.url as string,
      MQTT_URL: broker?.url as string,
      MQTT_CLIENT_ID: `poison-${applicationId}`,
      EVENT_TOPIC: `application/${applicationId}/device/+/event/+`,
      SPOOL_DIR: spoolDir,
      // Nothing is committed before the kill: every frame, the poison too, is only in the spool.
      FLUSH_MS: '600000',
      BATCH_SIZE: '100000',
    });

  beforeAll(async () => {
    [database, broker] = await Promise.all([testPostgres(), startThrowawayMosquitto()]);
    db = openPostgres(database.url);
    await migrate(db);
    await db.query(`ALTER TABLE uplinks ADD CONSTRAINT test_poison CHECK (f_cnt <> ${POISON_FCNT})`);
    ingest = await startIngest();
    publisher = await mqtt.connectAsync(broker.url, { clientId: `pub-${applicationId}` });
  });

  afterAll(async () => {
    await bounded(() => ingest?.stop('SIGKILL') ?? Promise.resolve(), 5_000);
    await bounded(() => publisher?.endAsync(true) ?? Promise.resolve(), 5_000);
    await bounded(() => db?.close() ?? Promise.resolve());
    await bounded(() => database?.close() ?? Promise.resolve());
    await bounded(() => broker?.destroy() ?? Promise.resolve());
    rmSync(spoolDir, { recursive: true, force: true });
  });

  it('starts healthy within 60 s after kill -9, with the poison dead-lettered and the rest stored', async () => {
    const device = (i: number) => testDevice(applicationId, 1 + (i % FLEET), { model: EM310 });
    const frames: Frame[] = Array.from({ length: GOOD }, (_, i) => ({
      topic: eventTopic(device(i), 'up'),
      payload: em310Uplink(device(i), Math.floor(i / FLEET)),
    }));
    const poisoned = device(0);
    frames.splice(GOOD / 2, 0, { topic: eventTopic(poisoned, 'up'), payload: em310Uplink(poisoned, POISON_FCNT) });
    await publishSteadily(publisher as MqttClient, frames.length, 1_000, (i) => frames[i] as Frame).done;
    await ingest?.stop('SIGKILL');
    expect(await count(db as Db, 'uplinks')).toBe(0);

    const restarted = Date.now();
    ingest = await startIngest();
    await waitFor(
      'a healthy ingest',
      async () => (await fetch(`http://127.0.0.1:${ingest?.port}/api/v1/health`)).status === 200,
      60_000,
    );
    const healthyAfter = Date.now() - restarted;
    expect(healthyAfter).toBeLessThan(60_000);
    console.info(`poison in the spool: healthy ${(healthyAfter / 1000).toFixed(1)} s after the restart`);
    expect(ingest.output()).toMatch(/"frames":301,"msg":"replaying frames/);

    expect(await count(db as Db, 'uplinks')).toBe(GOOD);
    const { rows } = await (db as Db).query<{ reason: string; detail: string; dev_eui: string | null }>(
      'SELECT reason, detail FROM dead_letters',
    );
    expect(rows).toEqual([{ reason: 'refused_by_database', detail: expect.stringContaining('test_poison') }]);
    await ingest.stop('SIGTERM');
  }, 120_000);
});
