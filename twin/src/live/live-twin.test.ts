import { randomBytes } from 'node:crypto';
import { EventEmitter } from 'node:events';
import { changeBinding, migrate, type Reading } from '@city/ingest';
import { pino } from 'pino';
import { afterAll, describe, expect, it } from 'vitest';
import { ENGINES } from '../../test/engines.ts';
import { fakeObjects } from './fake-object-lookup.ts';
import { LiveTwin } from './live-twin.ts';
import { inProcessReadings } from './readings-source.ts';

const quiet = pino({ level: 'silent' });
const EM310 = 'milesight-iot/em310-udl';
const AM319 = 'milesight-iot/am319';

describe.each(ENGINES)('the live twin on %s', async (_engine, open) => {
  const db = await open();
  await migrate(db);
  afterAll(() => db.close());
  // Numbers and devices of this run's own, so runs against a shared database do not meet.
  const run = randomBytes(3).toString('hex');
  const number = (prefix: string, i: number) => `${prefix}-${run}-0000${i}`;
  const objects = fakeObjects([
    { number: number('СМ', 1), type: 'bin', district: `a${run}` },
    { number: number('СМ', 2), type: 'bin', district: `a${run}` },
    { number: number('ПС', 1), type: 'air_station', district: `b${run}` },
  ]);
  const [bin1, bin2, station] = objects.records.map((o) => o.number) as [string, string, string];
  const dev = (i: number) => `f${run}${String(i).padStart(9, '0')}`;

  /** Stores readings as ingest commits them (the table, with the object each was taken at) and tells the listeners. */
  const pipeline = new EventEmitter<{ readings: [Reading[]] }>();
  const commit = async (readings: Reading[]) => {
    for (const r of readings)
      await db.query(
        'INSERT INTO readings (time, dev_eui, object_number, metric, value) VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING',
        [new Date(r.timeMs), r.devEui, r.objectNumber, r.metric, r.value],
      );
    const last = new Map<string, number>();
    for (const r of readings) last.set(r.devEui, Math.max(last.get(r.devEui) ?? 0, r.timeMs));
    for (const [devEui, ms] of last)
      await db.query('UPDATE devices SET last_seen = greatest(last_seen, $2) WHERE dev_eui = $1', [
        devEui,
        new Date(ms),
      ]);
    pipeline.emit('readings', readings);
  };
  const register = (devEui: string, model: string, objectNumber: string) =>
    db.query('INSERT INTO devices (dev_eui, model, object_number) VALUES ($1, $2, $3)', [devEui, model, objectNumber]);

  it('starts from the database with the state it built live, the moved sensor and the look-back included', async () => {
    const live = await LiveTwin.start({
      db,
      objects,
      readings: inProcessReadings(pipeline),
      log: quiet,
      refreshMs: 100,
    });
    const now = Date.now();
    const at = (minutesAgo: number, devEui: string, objectNumber: string, values: Record<string, number>) =>
      Object.entries(values).map(([metric, value]) => ({
        timeMs: now - minutesAgo * 60_000,
        devEui,
        objectNumber,
        metric,
        value,
      }));
    await register(dev(1), EM310, bin1);
    await register(dev(2), EM310, bin2);
    await register(dev(3), AM319, station);
    // Older than the look-back (48 h): in the live state, not in a rebuild.
    await commit(at(49 * 60, dev(3), station, { co2: 900 }));
    await commit([
      ...at(30, dev(1), bin1, { fill_level: 40, distance: 700, battery: 90, tilt: 0 }),
      ...at(30, dev(2), bin2, { fill_level: 70, distance: 400, battery: 80, tilt: 0 }),
      ...at(20, dev(3), station, { pm25: 12, pm10: 30, temperature: 3, humidity: 80 }),
      // radio figures reach the twin, not the readings table: not object state either way
      ...at(20, dev(3), station, { rssi: -100 }),
    ]);
    // Sensor 1 moves onto bin 2 and reports there; bin 1 keeps what it measured.
    await changeBinding(db, dev(1), bin2, { actor: 'test', reason: 'move' });
    await commit([
      ...at(10, dev(1), bin2, { fill_level: 72, distance: 390, battery: 89, tilt: 1 }),
      // Late: older than what bin 2 holds.
      ...at(25, dev(2), bin2, { fill_level: 71 }),
    ]);
    // The late one is stored all the same (it is history), and a rebuild must not prefer it.
    // The running twin reads the binding change at its next refresh.
    await new Promise((r) => setTimeout(r, 300));
    const rebuilt = await LiveTwin.start({ db, objects, log: quiet });
    try {
      for (const n of [bin1, bin2]) expect(rebuilt.objectState(n)).toEqual(live.objectState(n));
      const { co2, ...rest } = live.objectState(station)?.metrics ?? {};
      expect(co2?.value).toBe(900);
      expect(rebuilt.objectState(station)?.metrics).toEqual(rest);
      expect(live.objectState(bin2)?.metrics.fill_level).toMatchObject({ value: 72, devEui: dev(1) });
      expect(live.objectState(bin1)?.metrics.fill_level).toMatchObject({ value: 40, devEui: dev(1) });
      // The aggregates count the moved device where it is now. (A shared database holds other
      // runs' devices too: their objects are not in this test's registry, so in no district of ours.)
      const byDistrict = (twin: LiveTwin) =>
        Object.fromEntries(
          twin
            .aggregates()
            .districts.filter((d) => d.district?.endsWith(run))
            .map((d) => [d.district, [d.devices.total, d.bins, d.air.band]]),
        );
      expect(byDistrict(rebuilt)).toEqual({
        [`a${run}`]: [2, { total: 2, over85: 0 }, null],
        [`b${run}`]: [1, { total: 0, over85: 0 }, 2],
      });
      expect(byDistrict(live)).toEqual(byDistrict(rebuilt));
    } finally {
      await rebuilt.close();
      await live.close();
    }
  });
});
