import { type Db, type IngestConfig, type IngestService, openPostgres } from '@city/ingest';
import mqtt from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { count, createScratchDatabase, newApplicationId, waitFor } from '../support/engines.ts';
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
import { bounded, sleep } from '../support/net.ts';
import { type Frame, publishSteadily } from '../support/stream.ts';
import { startThrowawayMosquitto, type ThrowawayMosquitto } from '../support/throwaway-mosquitto.ts';
import { startThrowawayPostgres, type ThrowawayPostgres } from '../support/throwaway-postgres.ts';

const RATE = 200; // uplinks per second
const OUTAGE_MS = 10_000;
const FLEET = 20;

interface Scenario {
  /** Uplinks in the stream, published at RATE. */
  total: number;
  /** The database goes away once this many are published. */
  outageAfter: number;
  /** Every `freshEvery`-th uplink (offset freshEvery/2) comes from a device never heard before. */
  freshEvery?: number;
  ingest?: Partial<IngestConfig>;
}

/**
 * Uplink i of a scenario's stream: mostly from FLEET devices heard from the first second, and
 * with `freshEvery`, now and then from a new device, which ingest has to look up in the
 * database. All are zero-touch (ChirpStack `model` tag), one minute apart per device.
 */
function uplink(applicationId: string, s: Scenario, i: number): { fCnt: number; frame: Frame } {
  const fresh = s.freshEvery !== undefined && i % s.freshEvery === s.freshEvery / 2;
  const device = testDevice(applicationId, fresh ? 10_000 + i : 1 + (i % FLEET), { model: EM310 });
  const fCnt = fresh ? 0 : Math.floor(i / FLEET);
  return { fCnt, frame: { topic: eventTopic(device, 'up'), payload: em310Uplink(device, fCnt) } };
}

describe('ingest through a database outage', () => {
  let pg: ThrowawayPostgres | undefined;
  let broker: ThrowawayMosquitto | undefined;
  const cleanups: (() => Promise<unknown>)[] = [];

  beforeAll(async () => {
    [pg, broker] = await Promise.all([startThrowawayPostgres(), startThrowawayMosquitto()]);
  });

  afterAll(async () => {
    for (const cleanup of cleanups.reverse()) await bounded(cleanup);
    await bounded(() => pg?.destroy() ?? Promise.resolve());
    await bounded(() => broker?.destroy() ?? Promise.resolve());
  });

  /**
   * Streams uplinks through ingest into a fresh database on the throwaway server, stops that
   * server (immediate: a crash, no goodbye to clients) for OUTAGE_MS mid-stream, starts it
   * again, and waits until the stream is acknowledged and ingest has drained. `duringOutage`
   * runs while the database is down.
   */
  async function streamThroughOutage(
    s: Scenario,
    duringOutage: (service: IngestService) => Promise<void> = async () => {},
  ): Promise<{ db: Db; service: IngestService; applicationId: string; publishedAtRestart: number }> {
    if (!pg || !broker) throw new Error('engines did not start');
    const server = pg;
    const applicationId = newApplicationId();
    const database = await createScratchDatabase(server.url);
    const db = openPostgres(database.url);
    const service = await startTestIngest({
      applicationId,
      mqttUrl: broker.url,
      protocolVersion: 5,
      db,
      ...(s.ingest ? { overrides: s.ingest } : {}),
    });
    // Closing ingest commits what it holds, so the database must be there to take it.
    let closed = false;
    const close = async () => {
      if (closed) return;
      closed = true;
      if (!server.running) await server.start();
      await service.close();
    };
    cleanups.push(close);
    const publisher = await mqtt.connectAsync(broker.url, { clientId: `pub-${applicationId}`, clean: false });
    cleanups.push(() => publisher.endAsync(true));

    const stream = publishSteadily(publisher, s.total, RATE, (i) => uplink(applicationId, s, i).frame);
    await waitFor('the stream to be under way', async () => stream.published >= s.outageAfter);
    await waitFor('the first commits', async () => (await count(db, 'uplinks')) > 0);
    await server.stop('immediate');
    const down = Date.now();
    await waitFor('health to report the database down', async () => !(await health(service, 'db')).up, 5_000);
    await waitFor('a failed batch write', async () => (await counterValue(service.ingest.metrics.writeErrors)) > 0);
    await duringOutage(service);
    // The outage itself is a span of time: the one fixed wait.
    await sleep(OUTAGE_MS - (Date.now() - down));
    const publishedAtRestart = stream.published;
    await server.start();

    await stream.done;
    await publisher.endAsync();
    await waitFor('every uplink to be stored', async () => (await count(db, 'uplinks')) >= s.total, 30_000);
    await service.ingest.drain();
    return { db, service, applicationId, publishedAtRestart };
  }

  async function expectEveryUplinkOnce(db: Db, applicationId: string, s: Scenario): Promise<void> {
    expect(await count(db, 'uplinks')).toBe(s.total);
    expect(await count(db, '(SELECT DISTINCT dev_eui, f_cnt FROM uplinks) k')).toBe(s.total);
    expect(await count(db, '(SELECT DISTINCT dedup_id FROM uplinks) k')).toBe(s.total);
    let readings = 0;
    for (let i = 0; i < s.total; i++)
      readings += readingsPerUplink(EM310, EM310_FPORT, em310Data(uplink(applicationId, s, i).fCnt));
    expect(await count(db, 'readings')).toBe(readings);
    expect(await count(db, 'dead_letters')).toBe(0);
  }

  it('stores every uplink exactly once when the database is stopped for 10 s mid-stream', async () => {
    // 20 s at 200/s; down from 4 s to 14 s. Devices first heard during the outage (uplinks
    // 1250, 1750, ...) cannot be looked up: ingest must hold them, not dead-letter them.
    const s: Scenario = { total: RATE * 20, outageAfter: RATE * 4, freshEvery: 500 };
    const { db, service, applicationId, publishedAtRestart } = await streamThroughOutage(s);

    expect(publishedAtRestart, 'the database came back only after the stream ended').toBeLessThan(s.total);
    await expectEveryUplinkOnce(db, applicationId, s);
    expect(await count(db, 'devices')).toBe(FLEET + Math.ceil((s.total - 250) / 500));
    expect(await counterValue(service.ingest.metrics.writeErrors)).toBeGreaterThan(0);
    expect(await health(service, 'db')).toMatchObject({ up: true });
    expect(await health(service, 'ingest')).toMatchObject({ up: true, bufferedFrames: 0 });
    await service.close();
  }, 90_000);

  it('holds the stream back at the broker when the buffer fills during the outage', async () => {
    // 14 s at 200/s, down from 2 s to 12 s: ~2,000 uplinks arrive against a 300-frame buffer.
    const bufferLimit = 300;
    const s: Scenario = { total: RATE * 14, outageAfter: RATE * 2, ingest: { bufferLimit } };
    let heldAtLimit = 0;
    const { db, service, applicationId, publishedAtRestart } = await streamThroughOutage(s, async (service) => {
      await waitFor('the buffer to fill', async () => service.ingest.depth >= bufferLimit, 5_000);
      const framesIn = await counterValue(service.ingest.metrics.framesIn);
      await sleep(1_000);
      // Back-pressure: nothing more is taken from the broker while the buffer is full.
      expect(await counterValue(service.ingest.metrics.framesIn)).toBe(framesIn);
      heldAtLimit = service.ingest.depth;
    });

    expect(publishedAtRestart).toBeLessThan(s.total);
    expect(heldAtLimit).toBe(bufferLimit);
    await expectEveryUplinkOnce(db, applicationId, s);
    expect(await health(service, 'ingest')).toMatchObject({ up: true, bufferedFrames: 0 });
    await service.close();
  }, 90_000);
});
