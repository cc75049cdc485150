import { type Db, openPostgres } from '@city/ingest';
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
import {
  EM310,
  EM310_FPORT,
  em310Data,
  em310Uplink,
  eventTopic,
  readingsPerUplink,
  testDevice,
} from '../support/fleet.ts';
import { bounded } from '../support/net.ts';
import { type ServiceProcess, spawnIngest } from '../support/service-process.ts';
import { publishSteadily } from '../support/stream.ts';

const TOTAL = 3_000;
const RATE = 1_000; // uplinks per second
const FLEET = 30;

function uplink(applicationId: string, i: number) {
  const device = testDevice(applicationId, 1 + (i % FLEET), { model: EM310 });
  const fCnt = Math.floor(i / FLEET);
  return { fCnt, frame: { topic: eventTopic(device, 'up'), payload: em310Uplink(device, fCnt) } };
}

/**
 * Two ingest processes (`ingest/src/main.ts`, own client ids, configured through the environment
 * as replicas are in production) in one MQTT v5 shared-subscription group: the broker splits the
 * stream between them, and the database ends up with every uplink once. On the machine's broker
 * (MQTT_URL) when set.
 */
describe('ingest replicas on a shared subscription', () => {
  const applicationId = newApplicationId();
  let broker: Awaited<ReturnType<typeof testV5Broker>> | undefined;
  let database: TestDatabase | undefined;
  let db: Db | undefined;
  const replicas: ServiceProcess[] = [];
  let publisher: MqttClient | undefined;

  beforeAll(async () => {
    [broker, database] = await Promise.all([testV5Broker(), testPostgres()]);
    db = openPostgres(database.url);
    for (const name of ['a', 'b']) {
      replicas.push(
        await spawnIngest({
          DATABASE_URL: database.url,
          MQTT_URL: broker.url,
          MQTT_CLIENT_ID: `ingest-${applicationId}-${name}`,
          // A group of this run's own, so replicas of other runs on the same broker never share with us.
          MQTT_SHARE_GROUP: `ingest-${applicationId}`,
          EVENT_TOPIC: `application/${applicationId}/device/+/event/+`,
          SPOOL_DIR: TEST_SPOOL_DIR,
          FLUSH_MS: '50',
        }),
      );
    }
    publisher = await mqtt.connectAsync(broker.url, { clientId: `pub-${applicationId}`, clean: false });
  });

  afterAll(async () => {
    await bounded(() => publisher?.endAsync(true) ?? Promise.resolve(), 5_000);
    for (const replica of replicas) await bounded(replica.stop());
    await bounded(() => db?.close() ?? Promise.resolve());
    await bounded(() => database?.close() ?? Promise.resolve());
    await bounded(() => broker?.close() ?? Promise.resolve());
  });

  it('splits the stream between the replicas and stores every uplink exactly once', async () => {
    const [a, b] = replicas;
    if (!a || !b || !db || !publisher) throw new Error('engines did not start');
    await publishSteadily(publisher, TOTAL, RATE, (i) => uplink(applicationId, i).frame).done;
    await waitFor('every uplink to be stored', async () => (await count(db as Db, 'uplinks')) >= TOTAL);

    const framesA = await a.metric('ingest_frames_in_total');
    const framesB = await b.metric('ingest_frames_in_total');
    expect(framesA, 'replica a got a share').toBeGreaterThan(0);
    expect(framesB, 'replica b got a share').toBeGreaterThan(0);
    expect(framesA + framesB).toBeGreaterThanOrEqual(TOTAL);

    expect(await count(db, 'uplinks')).toBe(TOTAL);
    expect(await count(db, '(SELECT DISTINCT dev_eui, f_cnt FROM uplinks) k')).toBe(TOTAL);
    expect(await count(db, '(SELECT DISTINCT dedup_id FROM uplinks) k')).toBe(TOTAL);
    let readings = 0;
    for (let i = 0; i < TOTAL; i++)
      readings += readingsPerUplink(EM310, EM310_FPORT, em310Data(uplink(applicationId, i).fCnt));
    await waitFor('every reading to be stored', async () => (await count(db as Db, 'readings')) >= readings);
    expect(await count(db, 'readings')).toBe(readings);
    expect(await count(db, 'dead_letters')).toBe(0);
    expect(await count(db, 'devices')).toBe(FLEET);
  }, 60_000);
});
