import {
  atLocal,
  type DeviceContext,
  ENCODERS,
  findBehaviour,
  localDayNumber,
  Random,
  reading,
  type Simulated,
  seedFrom,
  simulate,
  stateOf,
  streetlight,
  World,
  waterMeter,
} from '@city/firmware-sim';
import { findCodec, type MetricValue } from '@city/ingest';
import { describe, expect, it } from 'vitest';

/**
 * The simulated devices' behaviour as the city sees it: every uplink goes through ingest's
 * decoder and normalisation, and the assertions are on the city metrics (or vendor fields) that
 * come out.
 */

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const WINTER = Date.parse('2026-01-12T00:00:00Z');
const SUMMER = Date.parse('2026-07-13T00:00:00Z');
const WEEK = 7 * DAY;

function device(model: string, seed: number, n = 0): Simulated {
  const found = findBehaviour(model);
  if (!found) throw new Error(`no behaviour for ${model}`);
  const type = found.behaviour.objectTypes[0];
  if (!type) throw new Error(`${found.behaviour.kind} names no object type`);
  const devEui = `70b3d5${(seedFrom(model) + n).toString(16).padStart(10, '0').slice(-10)}`;
  const ctx: DeviceContext = {
    devEui,
    model,
    mount: { number: `XX-03-${String(n).padStart(5, '0')}`, type, district: '03', props: { poles: 20 } },
    world: new World(seed),
    rng: new Random(seedFrom(`${seed}:${devEui}`)),
    key: seedFrom(devEui),
  };
  return simulate(ctx, WINTER);
}

/** Plays one device for a simulated week at its model's shortest interval; decodes every uplink as ingest does. */
function week(sim: Simulated, start = WINTER): { ms: number; metrics: Map<string, number> }[] {
  const codec = findCodec(sim.adapter.model);
  if (!codec) throw new Error(`ingest has no codec for ${sim.adapter.model}`);
  const step = Math.min(...sim.adapter.intervalsS) * 1000;
  const out = [];
  for (let ms = start; ms < start + WEEK; ms += step) {
    const decoded = codec.decodeUplink({ fPort: sim.adapter.fPort, bytes: reading(sim, ms) });
    if ('errors' in decoded) throw new Error(`${sim.adapter.model}: ${decoded.errors.join('; ')}`);
    const metrics: MetricValue[] = codec.toMetrics(decoded.data, {});
    out.push({ ms, metrics: new Map(metrics.map((m) => [m.metric, m.value])) });
  }
  return out;
}

function series(readings: ReturnType<typeof week>, metric: string): number[] {
  return readings.flatMap((r) => (r.metrics.has(metric) ? [r.metrics.get(metric) as number] : []));
}

const nonDecreasing = (xs: number[]) => xs.every((x, i) => i === 0 || x >= (xs[i - 1] as number));
const nonIncreasing = (xs: number[]) => xs.every((x, i) => i === 0 || x <= (xs[i - 1] as number));

describe.each(ENCODERS.map((e) => e.model))('%s over a simulated week', (model) => {
  const readings = [1, 2, 3].flatMap((n) => week(device(model, 7, n)));

  it('sends payloads ingest decodes', () => {
    expect(readings.length).toBeGreaterThan(0);
  });

  it('stays within physical bounds', () => {
    for (const fill of series(readings, 'fill_level')) expect(fill).toBeGreaterThanOrEqual(0);
    for (const fill of series(readings, 'fill_level')) expect(fill).toBeLessThanOrEqual(100);
    for (const pm of series(readings, 'pm25')) expect(pm).toBeGreaterThan(0);
    for (const pm of series(readings, 'pm25')) expect(pm).toBeLessThan(500);
    for (const co2 of series(readings, 'co2')) expect(co2).toBeGreaterThanOrEqual(400);
    for (const t of series(readings, 'temperature')) expect(t).toBeGreaterThan(-35);
    for (const h of series(readings, 'humidity')) expect(h).toBeLessThanOrEqual(100);
  });
});

describe('cumulative indices and batteries', () => {
  it.each(ENCODERS.map((e) => e.model))('%s: indices only grow, batteries only fall', (model) => {
    for (const n of [1, 2, 3]) {
      const readings = week(device(model, 11, n));
      for (const metric of ['volume', 'energy', 'pulse_count'])
        expect(nonDecreasing(series(readings, metric))).toBe(true);
      for (const metric of ['battery', 'battery_voltage']) expect(nonIncreasing(series(readings, metric))).toBe(true);
    }
  });
});

describe('bins', () => {
  it('fill through the day and are emptied on their route days', () => {
    const readings = week(device('milesight-iot/em310-udl', 5));
    const fills = series(readings, 'fill_level');
    const drops = fills.filter((f, i) => i > 0 && (fills[i - 1] as number) - f > 10);
    const rises = fills.filter((f, i) => i > 0 && f > (fills[i - 1] as number));
    expect(drops.length).toBeGreaterThanOrEqual(2);
    expect(rises.length).toBeGreaterThan(fills.length / 2);
  });
});

describe('water meters', () => {
  it('a leaking meter never shows a zero hour, a sound one is near zero at night', () => {
    const leaking = device('axioma/qalcosonic-w1', 3, 1);
    const sound = device('axioma/qalcosonic-w1', 3, 2);
    const leak = stateOf(leaking, waterMeter);
    const ok = stateOf(sound, waterMeter);
    if (!leak || !ok) throw new Error('not water meters');
    // Two flats, one with a dripping cistern.
    for (const meter of [leak, ok]) meter.dailyM3 = 0.3;
    leak.leakM3h = 0.02;
    ok.leakM3h = 0;
    for (const [sim, check] of [
      [leaking, (deltas: number[]) => expect(Math.min(...deltas)).toBeGreaterThanOrEqual(0.02)],
      [sound, (deltas: number[]) => expect(Math.min(...deltas)).toBeLessThan(0.02)],
    ] as const) {
      const codec = findCodec('axioma/qalcosonic-w1');
      const decoded = codec?.decodeUplink({ fPort: 100, bytes: reading(sim, WINTER + 2 * DAY) });
      if (!decoded || 'errors' in decoded) throw new Error('qalcosonic frame did not decode');
      const data = decoded.data as Record<string, number>;
      check(Array.from({ length: 23 }, (_, i) => data[`delta_${i + 1}_m3`] as number));
    }
  });
});

describe('streetlights', () => {
  it.each([
    ['winter', WINTER],
    ['summer', SUMMER],
  ])('are on at night and off at noon in %s', (_season, start) => {
    for (let n = 0; n < 20; n++) {
      const sim = device('milesight-iot/ws52x', 9, n);
      const pole = stateOf(sim, streetlight);
      if (!pole) throw new Error('not a pole');
      pole.failsAtMs = Number.POSITIVE_INFINITY;
      const codec = findCodec('milesight-iot/ws52x');
      for (let day = localDayNumber(start); day < localDayNumber(start) + 7; day++) {
        for (const [hour, on] of [
          [0.5, 1],
          [12, 0],
          [23, 1],
        ] as const) {
          const decoded = codec?.decodeUplink({ fPort: 85, bytes: reading(sim, atLocal(day, hour)) });
          if (!decoded || 'errors' in decoded) throw new Error('ws52x frame did not decode');
          const metrics = new Map(codec?.toMetrics(decoded.data, {}).map((m) => [m.metric, m.value]));
          expect(metrics.get('lamp_on')).toBe(on);
          expect((metrics.get('power') as number) > 0).toBe(on === 1);
        }
      }
    }
  });

  it('a failed lamp is switched on but draws nothing', () => {
    const sim = device('milesight-iot/ws52x', 9, 1);
    const pole = stateOf(sim, streetlight);
    if (!pole) throw new Error('not a pole');
    pole.failsAtMs = WINTER;
    const codec = findCodec('milesight-iot/ws52x');
    const decoded = codec?.decodeUplink({ fPort: 85, bytes: reading(sim, atLocal(localDayNumber(WINTER) + 1, 1)) });
    if (!decoded || 'errors' in decoded) throw new Error('ws52x frame did not decode');
    expect(decoded.data).toMatchObject({ button: 'open', power: 0 });
  });
});

describe('air stations', () => {
  it('read more dust in the morning rush hour than before dawn on workdays', () => {
    const sims = [1, 2, 3, 4].map((n) => device('decentlab/dl-pm', 13, n));
    const pm = (hour: number) => {
      let sum = 0;
      for (const sim of sims) {
        // Monday to Friday of the test week
        for (let day = localDayNumber(WINTER); day < localDayNumber(WINTER) + 5; day++) {
          const codec = findCodec('decentlab/dl-pm');
          const decoded = codec?.decodeUplink({ fPort: 1, bytes: reading(sim, atLocal(day, hour) + HOUR) });
          if (!decoded || 'errors' in decoded) throw new Error('dl-pm frame did not decode');
          sum += codec?.toMetrics(decoded.data, {}).find((m) => m.metric === 'pm25')?.value ?? 0;
        }
      }
      return sum;
    };
    expect(pm(7.5)).toBeGreaterThan(pm(2.5) * 1.3);
  });
});
