import { randomBytes } from 'node:crypto';
import { type Db, migrate, openPostgres } from '@city/ingest';
import { importObjects, migrateTwin, seedReferenceData } from '@city/twin';
import mqtt, { type MqttClient } from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  count,
  newApplicationId,
  TEST_SPOOL_DIR,
  type TestDatabase,
  testPostgres,
  testV5Broker,
  waitFor,
} from '../support/engines.ts';
import { eventTopic, fillUplink, testDevice, WILSEN } from '../support/fleet.ts';
import { bounded } from '../support/net.ts';
import { type ServiceProcess, spawnIngest, spawnServer } from '../support/service-process.ts';

const BURST = 100;

/**
 * Flood control across processes, as production runs: two ingest processes on one shared
 * subscription and two platform servers, each hearing every committed reading and judging it by
 * the shipped rules (bin full at 85 %). A burst of 100 distinct uplinks over the threshold from
 * one bin sensor - adopted zero-touch by its first uplink - makes one active alarm counting 100;
 * the same uplinks again (a replay) count nothing. On the machine's PostgreSQL and broker when
 * DATABASE_URL and MQTT_URL are set, else on private throwaway ones.
 */
describe('one alarm for a flood of uplinks, through two ingest and two server processes', () => {
  const applicationId = newApplicationId();
  const bin = `СМ-96-${String(randomBytes(2).readUInt16BE()).padStart(5, '0')}`;
  const device = testDevice(applicationId, 1, { model: WILSEN, object: bin });
  const readingsTopic = `city/readings/${applicationId}`;
  const admin = { user: 'flood-admin', password: randomBytes(12).toString('base64url') };
  let broker: Awaited<ReturnType<typeof testV5Broker>> | undefined;
  let database: TestDatabase | undefined;
  let db: Db | undefined;
  const ingests: ServiceProcess[] = [];
  const servers: ServiceProcess[] = [];
  let publisher: MqttClient | undefined;

  beforeAll(async () => {
    [broker, database] = await Promise.all([testV5Broker(), testPostgres()]);
    db = openPostgres(database.url);
    await migrate(db);
    await migrateTwin(db);
    await seedReferenceData(db);
    const feature = {
      type: 'Feature',
      geometry: { type: 'Point', coordinates: [35.15, 47.85] },
      properties: { number: bin, type: 'bin' },
    };
    const imported = await importObjects(
      db,
      { format: 'geojson', collection: { features: [feature] } },
      { mode: 'all-or-nothing' },
    );
    if (!imported.written) throw new Error(`the bin was not imported: ${JSON.stringify(imported.rejected)}`);
    for (const name of ['a', 'b']) {
      ingests.push(
        await spawnIngest({
          DATABASE_URL: database.url,
          MQTT_URL: broker.url,
          MQTT_CLIENT_ID: `ingest-${applicationId}-${name}`,
          MQTT_SHARE_GROUP: `ingest-${applicationId}`,
          EVENT_TOPIC: `application/${applicationId}/device/+/event/+`,
          READINGS_TOPIC: readingsTopic,
          SPOOL_DIR: TEST_SPOOL_DIR,
          FLUSH_MS: '20',
        }),
      );
    }
    for (let i = 0; i < 2; i++) {
      servers.push(
        await spawnServer({
          DATABASE_URL: database.url,
          MQTT_URL: broker.url,
          READINGS_TOPIC: readingsTopic,
          JWT_SECRET: 'test-secret-test-secret-test-secret-test-secret',
          ADMIN_USER: admin.user,
          ADMIN_PASSWORD: admin.password,
        }),
      );
    }
    publisher = await mqtt.connectAsync(broker.url, { clientId: `pub-${applicationId}`, protocolVersion: 5 });
  }, 180_000);

  afterAll(async () => {
    await bounded(() => publisher?.endAsync(true) ?? Promise.resolve(), 5_000);
    for (const p of [...servers, ...ingests]) await bounded(p.stop());
    await bounded(() => db?.close() ?? Promise.resolve());
    await bounded(() => database?.close() ?? Promise.resolve());
    await bounded(() => broker?.close() ?? Promise.resolve());
  });

  /** Uplink `fCnt` of the bin's sensor: full (90-99 %), dated so every one is distinct. */
  const start = Date.now() - 2 * 3_600_000;
  const frame = (fCnt: number) => fillUplink(device, fCnt, start + fCnt * 30_000, 90 + (fCnt % 10));
  const publish = (frames: Uint8Array[]) =>
    Promise.all(frames.map((f) => publisher?.publishAsync(eventTopic(device, 'up'), Buffer.from(f), { qos: 1 })));
  const binAlarms = async () => {
    if (!db) throw new Error('no database');
    return (
      await db.query<{ count: number; active: boolean }>(
        `SELECT count, active FROM alarms WHERE subject = $1 AND alarm_type = 'bin_full' ORDER BY id`,
        [bin],
      )
    ).rows;
  };
  const counted = (n: number) => async () => (await binAlarms()).some((a) => a.count >= n);
  const framesIn = async () => {
    let sum = 0;
    for (const p of ingests) sum += await p.metric('ingest_frames_in_total');
    return sum;
  };

  it('100 distinct uplinks over the threshold make one active alarm counting 100; a replay counts nothing', async () => {
    if (!db || ingests.length < 2) throw new Error('engines did not start');
    const burst = Array.from({ length: BURST }, (_, i) => frame(i + 1));
    await publish(burst);
    await waitFor('the burst stored', async () => (await count(db as Db, 'uplinks')) === BURST, 60_000);
    // Both ingest processes took part (the broker splits a shared subscription).
    for (const p of ingests) expect(await p.metric('ingest_frames_in_total')).toBeGreaterThan(0);
    await waitFor('the alarm counting 100', counted(BURST), 30_000).catch(async (err: Error) => {
      throw new Error(`${err.message}; alarms now ${JSON.stringify(await binAlarms())}`);
    });
    expect(await binAlarms()).toEqual([{ count: BURST, active: true }]);

    // Either server shows it, through the API, with the object's place.
    const [a, b] = servers as [ServiceProcess, ServiceProcess];
    const login = await fetch(`http://127.0.0.1:${b.port}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: admin.user, password: admin.password }),
    });
    const { token } = (await login.json()) as { token: string };
    const listed = await fetch(
      `http://127.0.0.1:${a.port}/api/v1/alarms?object=${encodeURIComponent(bin)}&status=active`,
      { headers: { authorization: `Bearer ${token}` } },
    );
    expect(((await listed.json()) as { alarms: unknown[] }).alarms).toMatchObject([
      { type: 'bin_full', count: BURST, objectType: 'bin', acknowledged: false, status: 'active' },
    ]);

    // The same uplinks again: stored once, judged again by both servers, counted never.
    await publish(burst);
    await waitFor('the replay taken in', async () => (await framesIn()) === 2 * BURST, 60_000);
    // One new uplink after it: once it counts, every server has judged the replay before it
    // (each hears the readings in the order the broker took them).
    await publish([frame(BURST + 1)]);
    await waitFor('the uplink after the replay counted', counted(BURST + 1), 30_000);
    await new Promise((resolve) => setTimeout(resolve, 1000));
    expect(await binAlarms()).toEqual([{ count: BURST + 1, active: true }]);
    expect(await count(db, 'uplinks')).toBe(BURST + 1);
  }, 120_000);
});
