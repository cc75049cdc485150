import type { Reading } from '@city/ingest';
import { afterAll, describe, expect, it } from 'vitest';
import { districtFeature, manyObjects, testCity } from '../../test/city-fixture.ts';
import { connectStream, listen, type StreamClient, staffToken } from '../../test/stream-client.ts';
import { testServer } from '../../test/test-server.ts';
import { decodeReadingBatch, type Kpis, type ReadingBatchWire } from '../contract/stream.ts';
import type { ReadingsSource } from '../live/readings-source.ts';
import { objectFeature } from '../objects/export/export-geojson.ts';

/** A readings source the test feeds, as ingest's event or the broker would. */
function fedReadings() {
  let listener: (readings: Reading[]) => void = () => {};
  const source: ReadingsSource = {
    listen: async (l) => {
      listener = l;
      return async () => {};
    },
  };
  return { source, feed: (readings: Reading[]) => listener(readings) };
}

describe('readings and KPIs on the live stream', async () => {
  const readings = fedReadings();
  const server = await testServer({ readings: readings.source, streamTimings: { readingsMs: 300, kpiMs: 100 } });
  const url = await listen(server);
  const clients: StreamClient[] = [];
  afterAll(async () => {
    for (const c of clients) c.close();
    await server.close();
  });
  const connect = async (token: string, rooms?: object) => {
    const client = await connectStream(url, { token, ...(rooms ? { rooms } : {}) });
    clients.push(client.socket);
    return client;
  };

  const city = testCity();
  const objects = manyObjects(city, 10);
  const operator = await server.as('operator');
  const imported = await operator({
    method: 'POST',
    url: '/api/v1/objects/import',
    payload: {
      type: 'FeatureCollection',
      features: [...city.districts.map(districtFeature), ...objects.map(objectFeature)],
    },
  });
  if (imported.statusCode !== 200) throw new Error(`objects not imported: ${imported.body}`);
  const bins = objects.filter((o) => o.type === 'bin').map((o) => o.number);

  it('sends readings throttled: the newest value per object and metric, in binary columns, in the rooms', async () => {
    const all = await connect(await staffToken(server, 'operator'));
    const onlyBins = await connect(await staffToken(server, 'viewer'), { objectTypes: ['bin'] });
    // Bins belong to the waste utility, poles to the lighting one: the water dispatcher sees neither.
    const water = await connect(await staffToken(server, 'dispatcher', 'vodokanal'));
    const waste = await connect(await staffToken(server, 'dispatcher', 'vidkhody'));
    const t0 = Date.now() - 60_000;
    // 20 rounds of every object's fill level (for bins) or lamp power (poles) within a few ms.
    for (let round = 0; round < 20; round++)
      readings.feed(
        objects.map((o, i) => ({
          timeMs: t0 + round * 1000,
          devEui: `a84041000000${String(i).padStart(4, '0')}`,
          objectNumber: o.number,
          metric: o.type === 'bin' ? 'fill_level' : 'power',
          value: round * 5 + i,
        })),
      );
    await all.received.until('a readings batch', () => all.received.of('reading').length > 0, 3000);
    await new Promise((r) => setTimeout(r, 700));

    const wire = all.received.of<ReadingBatchWire>('reading');
    expect(wire.length).toBe(1);
    for (const column of ['objectIndex', 'metricIndex', 'values', 'times'] as const)
      expect(ArrayBuffer.isView(wire[0]?.[column]) || wire[0]?.[column] instanceof ArrayBuffer).toBe(true);
    const held = (w: ReadingBatchWire) => {
      const b = decodeReadingBatch(w);
      return Object.fromEntries(
        [...b.values].map((v, i) => [
          `${b.objects[b.objectIndex[i] as number]} ${b.metrics[b.metricIndex[i] as number]}`,
          [v, b.times[i]],
        ]),
      );
    };
    const newest = Object.fromEntries(
      objects.map((o, i) => [`${o.number} ${o.type === 'bin' ? 'fill_level' : 'power'}`, [95 + i, t0 + 19_000]]),
    );
    expect(held(wire[0] as ReadingBatchWire)).toEqual(newest);

    const binBatches = onlyBins.received.of<ReadingBatchWire>('reading');
    expect(binBatches.length).toBe(1);
    expect(Object.keys(held(binBatches[0] as ReadingBatchWire)).sort()).toEqual(
      bins.map((b) => `${b} fill_level`).sort(),
    );
    expect(water.received.of('reading')).toEqual([]);
    expect(Object.keys(held(waste.received.of<ReadingBatchWire>('reading')[0] as ReadingBatchWire)).length).toBe(
      bins.length,
    );
  });

  it('sends KPIs on connecting and every interval, alarm counts as the role may see them', async () => {
    const db = server.ingest.db;
    const [west] = city.districts;
    await db.query(
      `INSERT INTO alarms (subject, alarm_type, severity, message, first_reading_at, last_reading_at, district, utility)
       VALUES ('S-1', 'water_leak', 'major', 'leak', now(), now(), $1, 'vodokanal'),
              ('S-2', 'lamp_failure', 'minor', 'lamp', now(), now(), NULL, 'misksvitlo'),
              ('S-3', 'battery_low', 'warning', 'battery', now(), now(), $1, NULL)`,
      [west.code],
    );
    const operatorClient = await connect(await staffToken(server, 'operator'));
    expect(operatorClient.received.seen[0]?.event).toBe('kpi');
    const water = await connect(await staffToken(server, 'dispatcher', 'vodokanal'));
    const latest = (c: typeof water) => c.received.of<Kpis>('kpi').at(-1);
    // The live state takes the test before's bin readings asynchronously: wait for a tick that has them too.
    for (const c of [operatorClient, water])
      await c.received.until(
        'KPIs with the alarms and the full bins',
        () => (latest(c)?.openAlarms.total ?? 0) > 0 && latest(c)?.binsOver85 === 5,
        3000,
      );
    expect(latest(operatorClient)).toMatchObject({
      openAlarms: {
        total: 3,
        byType: { water_leak: 1, lamp_failure: 1, battery_low: 1 },
        byDistrict: { [west.code]: 2, null: 1 },
      },
      // The bins' fill levels of the test before: all five over 85 %; no device is registered.
      binsOver85: 5,
      lampsFailed: 0,
      devices: { total: 0, online: 0, onlinePct: null },
      worstAir: null,
    });
    expect(latest(water)?.openAlarms).toEqual({
      total: 2,
      byType: { water_leak: 1, battery_low: 1 },
      byDistrict: { [west.code]: 2 },
    });
    const before = operatorClient.received.of('kpi').length;
    await new Promise((r) => setTimeout(r, 350));
    expect(operatorClient.received.of('kpi').length).toBeGreaterThanOrEqual(before + 2);
  });
});
