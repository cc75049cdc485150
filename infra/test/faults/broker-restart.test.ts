import { type Db, type IngestService, openPostgres } from '@city/ingest';
import mqtt, { type MqttClient } from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { count, newApplicationId, type TestDatabase, testPostgres, waitFor } from '../support/engines.ts';
import {
  EM310,
  EM310_FPORT,
  em310Data,
  em310Uplink,
  eventTopic,
  readingsPerUplink,
  testDevice,
} from '../support/fleet.ts';
import { counterValue, health, startTestIngest } from '../support/ingest.ts';
import { bounded } from '../support/net.ts';
import { type Frame, publishSteadily } from '../support/stream.ts';
import { startThrowawayMosquitto, type ThrowawayMosquitto } from '../support/throwaway-mosquitto.ts';

const RATE = 200; // uplinks per second
const TOTAL = RATE * 20; // a 20 s stream
const RESTART_AFTER = RATE * 5; // the broker goes down 5 s into the stream...
const DOWN_MS = 3_000; // ...for 3 s
const FLEET = 20;

function uplink(applicationId: string, i: number): { fCnt: number; frame: Frame } {
  const device = testDevice(applicationId, 1 + (i % FLEET), { model: EM310 });
  const fCnt = Math.floor(i / FLEET);
  return { fCnt, frame: { topic: eventTopic(device, 'up'), payload: em310Uplink(device, fCnt) } };
}

describe('ingest through a broker restart', () => {
  const applicationId = newApplicationId();
  let database: TestDatabase | undefined;
  let broker: ThrowawayMosquitto | undefined;
  let db: Db | undefined;
  let service: IngestService | undefined;
  let publisher: MqttClient | undefined;

  beforeAll(async () => {
    [database, broker] = await Promise.all([testPostgres(), startThrowawayMosquitto()]);
    db = openPostgres(database.url);
    service = await startTestIngest({ applicationId, mqttUrl: broker.url, protocolVersion: 5, db });
    // As ChirpStack does: a persistent session under a fixed client id, QoS 1. MQTT.js keeps
    // unacknowledged publishes and those made while offline, and sends them on reconnect.
    publisher = await mqtt.connectAsync(broker.url, {
      clientId: `pub-${applicationId}`,
      clean: false,
      reconnectPeriod: 500,
    });
  });

  afterAll(async () => {
    await bounded(() => publisher?.endAsync(true) ?? Promise.resolve(), 5_000);
    if (broker && !broker.running) await bounded(broker.start());
    await bounded(() => service?.close() ?? Promise.resolve());
    await bounded(() => database?.close() ?? Promise.resolve());
    await bounded(() => broker?.destroy() ?? Promise.resolve());
  });

  it('stores every uplink exactly once when the broker restarts mid-stream', async () => {
    if (!broker || !db || !service || !publisher) throw new Error('engines did not start');
    const [pub, ingest, store] = [publisher, service, db];
    let publisherReconnects = 0;
    let ingestReconnects = 0;
    pub.on('connect', () => publisherReconnects++);
    ingest.mqtt?.on('connect', () => ingestReconnects++);

    const stream = publishSteadily(pub, TOTAL, RATE, (i) => uplink(applicationId, i).frame);
    await waitFor('the stream to be under way', async () => stream.published >= RESTART_AFTER);
    await waitFor('the first commits', async () => (await count(store, 'uplinks')) > 0);
    // SIGTERM: Mosquitto saves sessions, subscriptions and queued messages, and exits.
    await broker.restart(DOWN_MS);
    const publishedAtRestart = stream.published;
    await waitFor('both clients to reconnect', async () => pub.connected && ingest.mqtt?.connected === true, 10_000);

    await stream.done;
    await waitFor('every uplink to be stored', async () => (await count(store, 'uplinks')) >= TOTAL, 30_000);
    await ingest.ingest.drain();

    expect(publishedAtRestart, 'the broker came back only after the stream ended').toBeLessThan(TOTAL);
    expect(publisherReconnects).toBeGreaterThanOrEqual(1);
    expect(ingestReconnects).toBeGreaterThanOrEqual(1);
    expect(await count(store, 'uplinks')).toBe(TOTAL);
    expect(await count(store, '(SELECT DISTINCT dev_eui, f_cnt FROM uplinks) k')).toBe(TOTAL);
    expect(await count(store, '(SELECT DISTINCT dedup_id FROM uplinks) k')).toBe(TOTAL);
    let readings = 0;
    for (let i = 0; i < TOTAL; i++)
      readings += readingsPerUplink(EM310, EM310_FPORT, em310Data(uplink(applicationId, i).fCnt));
    expect(await count(store, 'readings')).toBe(readings);
    expect(await count(store, 'dead_letters')).toBe(0);
    // Redelivered frames (sent again with DUP after the restart) are counted in, never stored twice.
    expect(await counterValue(ingest.ingest.metrics.framesIn)).toBeGreaterThanOrEqual(TOTAL);
    expect(await health(ingest, 'mqtt')).toMatchObject({ up: true });
    expect(await health(ingest, 'ingest')).toMatchObject({ up: true, bufferedFrames: 0 });
  }, 90_000);
});
