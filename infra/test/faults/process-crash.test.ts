import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Db, openPostgres } from '@city/ingest';
import mqtt, { type MqttClient } from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { count, newApplicationId, type TestDatabase, testPostgres, waitFor } from '../support/engines.ts';
import { EM310, em310Uplink, eventTopic, testDevice } from '../support/fleet.ts';
import { bounded, sleep } from '../support/net.ts';
import { type ServiceProcess, spawnIngest } from '../support/service-process.ts';
import { type Frame, publishSteadily } from '../support/stream.ts';
import { startThrowawayMosquitto, type ThrowawayMosquitto } from '../support/throwaway-mosquitto.ts';

const RATE = 300;
const TOTAL = RATE * 10;
const KILL_AFTER = RATE * 4;
const FLEET = 30;

function uplink(applicationId: string, i: number): Frame {
  const device = testDevice(applicationId, 1 + (i % FLEET), { model: EM310 });
  return { topic: eventTopic(device, 'up'), payload: em310Uplink(device, Math.floor(i / FLEET)) };
}

/**
 * The ingest process itself is killed (SIGKILL, no shutdown) while it holds frames it has
 * acknowledged to the broker but not yet committed: the spool gives them back on restart.
 * Commits are made rare (FLUSH_MS 3 s) so that the kill surely lands on acknowledged,
 * uncommitted frames.
 */
describe('ingest process killed mid-stream', () => {
  const applicationId = newApplicationId();
  const spoolDir = mkdtempSync(join(tmpdir(), 'crash-spool-'));
  let database: TestDatabase | undefined;
  let broker: ThrowawayMosquitto | undefined;
  let db: Db | undefined;
  let publisher: MqttClient | undefined;
  let ingest: ServiceProcess | undefined;

  const startIngest = () =>
    spawnIngest({
      DATABASE_URL: database?.url as string,
      MQTT_URL: broker?.url as string,
      MQTT_CLIENT_ID: `crash-${applicationId}`,
      EVENT_TOPIC: `application/${applicationId}/device/+/event/+`,
      SPOOL_DIR: spoolDir,
      FLUSH_MS: '3000',
      BATCH_SIZE: '100000',
    });

  beforeAll(async () => {
    [database, broker] = await Promise.all([testPostgres(), startThrowawayMosquitto()]);
    db = openPostgres(database.url);
    ingest = await startIngest();
    publisher = await mqtt.connectAsync(broker.url, { clientId: `pub-${applicationId}`, clean: false });
  });

  afterAll(async () => {
    await bounded(() => ingest?.stop('SIGKILL') ?? Promise.resolve(), 5_000);
    await bounded(() => publisher?.endAsync(true) ?? Promise.resolve(), 5_000);
    await bounded(() => db?.close() ?? Promise.resolve());
    await bounded(() => database?.close() ?? Promise.resolve());
    await bounded(() => broker?.destroy() ?? Promise.resolve());
    rmSync(spoolDir, { recursive: true, force: true });
  });

  it('stores every uplink exactly once after a SIGKILL and a restart', async () => {
    const stream = publishSteadily(publisher as MqttClient, TOTAL, RATE, (i) => uplink(applicationId, i));
    await waitFor('the kill point', async () => stream.acked >= KILL_AFTER, 30_000);
    await ingest?.stop('SIGKILL');
    const committedAtKill = await count(db as Db, 'uplinks');
    await sleep(1000);
    ingest = await startIngest();
    await stream.done;
    await waitFor(`${TOTAL} uplinks`, async () => (await count(db as Db, 'uplinks')) >= TOTAL, 60_000);
    await sleep(500);
    expect(await count(db as Db, 'uplinks')).toBe(TOTAL);
    expect(await count(db as Db, '(SELECT DISTINCT dev_eui, time, f_cnt FROM uplinks) u')).toBe(TOTAL);
    // The kill landed on frames that were acknowledged but not committed, and the spool gave them back.
    expect(committedAtKill).toBeLessThan(KILL_AFTER);
    const replayed = /"frames":(\d+),"msg":"replaying frames/.exec(ingest.output());
    expect(Number(replayed?.[1] ?? 0)).toBeGreaterThan(0);
  });
});
