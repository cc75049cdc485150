import { createHash } from 'node:crypto';
import { findCodec } from '@city/ingest';
import { describe, expect, it } from 'vitest';
import { bin } from '../behaviour/bin.ts';
import { stateOf } from '../behaviour/index.ts';
import { type City, demoCity } from '../city/index.ts';
import { type FleetDevice, makeFleet } from '../fleet.ts';
import { OUTPUTS } from '../outputs/index.ts';
import { Random, seedFrom } from '../random.ts';
import { type SimEvent, Simulation } from '../simulation.ts';
import { atLocal, localDayNumber } from '../world/local-time.ts';
import { findScenario, SCENARIOS } from './index.ts';

const HOUR = 3_600_000;
/** A winter Monday, 10:00 local. */
const MONDAY = atLocal(localDayNumber(Date.parse('2026-01-12T12:00:00Z')), 10);
const CITY = demoCity(1, 3000);

interface Run {
  fleet: FleetDevice[];
  events: SimEvent[];
}

/** Plays `hours` of a fleet on the test city from `start`, with `scenario` starting at once. */
function play(
  scenario: string | undefined,
  hours: number,
  opts: { start?: number; count?: number; city?: City } = {},
): Run {
  const start = opts.start ?? MONDAY;
  const fleet = makeFleet({ seed: 1, applicationId: 'test', start, city: opts.city ?? CITY, count: opts.count });
  const sim = new Simulation(fleet, start, 1);
  if (scenario) findScenario(scenario)?.run(sim, start, new Random(seedFrom(`1:scenario:${scenario}`)));
  const events: SimEvent[] = [];
  for (let e = sim.next(start + hours * HOUR); e; e = sim.next(start + hours * HOUR)) events.push(e);
  return { fleet, events };
}

/** Ingest's reading of an uplink: its city metrics by name. */
function metrics(e: SimEvent): Map<string, number> {
  if (e.type !== 'up') return new Map();
  const codec = findCodec(e.device.model);
  const decoded = codec?.decodeUplink({ fPort: e.uplink.fPort, bytes: e.uplink.data });
  if (!codec || !decoded || 'errors' in decoded) throw new Error(`${e.device.model} did not decode`);
  return new Map(codec.toMetrics(decoded.data, {}).map((m) => [m.metric, m.value]));
}

describe('scenario registry', () => {
  it('has the five incidents, each under its own name', () => {
    expect(SCENARIOS.map((s) => s.name)).toEqual(['burst', 'smog', 'cabinet', 'overflow', 'rejoin']);
  });

  it('replays a scenario event for event from the same seed', () => {
    const digest = (run: Run) => {
      const hash = createHash('sha256');
      for (const e of run.events)
        for (const m of OUTPUTS.chirpstack({ marshaler: 'json' }).messages(e)) hash.update(m.payload);
      return hash.digest('hex');
    };
    const small = demoCity(1, 300);
    expect(digest(play('burst', 2, { city: small }))).toBe(digest(play('burst', 2, { city: small })));
  });
});

describe('burst', () => {
  it('raises burst and leak alarms in one district only and floods its meter pits', () => {
    const { events } = play('burst', 2);
    const alarms = events.filter((e) => {
      const m = metrics(e);
      return m.get('burst') === 1 || m.get('leak') === 1;
    });
    const bursts = events.filter((e) => metrics(e).get('burst') === 1);
    expect(bursts.length).toBeGreaterThanOrEqual(1);
    expect(new Set(bursts.map((e) => e.device.district)).size).toBe(1);
    const district = bursts[0]?.device.district;
    expect(alarms.filter((e) => e.device.district === district).length).toBeGreaterThanOrEqual(3);
    // The meter pits on the burst main flood: their probes report water.
    const flows = events.filter((e) => e.device.district === district && e.device.model === 'elsys/ems');
    expect(flows.some((e) => (metrics(e).get('leak') ?? 0) === 1)).toBe(true);
  });
});

describe('smog', () => {
  it('takes PM2.5 past 100 µg/m³ within hours where it settles, from a normal day', () => {
    const pm25 = (run: Run, fromH: number) =>
      run.events
        .filter((e) => e.device.class === 'air' && e.type === 'up' && e.uplink.time.getTime() >= MONDAY + fromH * HOUR)
        .flatMap((e) => metrics(e).get('pm25') ?? []);
    const before = pm25(play(undefined, 5, { count: 1500 }), 4);
    const during = pm25(play('smog', 5, { count: 1500 }), 4);
    expect(Math.max(...before)).toBeLessThan(100);
    expect(during.filter((v) => v > 100).length).toBeGreaterThan(3);
  });
});

describe('cabinet', () => {
  it('darkens a whole row: its poles switched on and drawing nothing, all fed by one cabinet', () => {
    const night = atLocal(localDayNumber(MONDAY), 22);
    const { events } = play('cabinet', 1, { start: night });
    const dark = events.filter((e) => {
      const m = metrics(e);
      return e.device.model === 'milesight-iot/ws52x' && m.get('lamp_on') === 1 && m.get('power') === 0;
    });
    const cabinets = dark.map((e) => e.device.sim.device.mount.props.cabinet);
    const row = cabinets[0];
    expect(new Set(dark.map((e) => e.device)).size).toBeGreaterThanOrEqual(5);
    // A lamp or two may have failed on its own elsewhere; the row is the rest.
    expect(cabinets.filter((c) => c === row).length).toBeGreaterThanOrEqual(cabinets.length - 2);
  });
});

describe('overflow', () => {
  it('leaves far more bins full than an ordinary two days', () => {
    const full = (run: Run) =>
      run.fleet.filter((d) => (stateOf(d.sim, bin)?.fill ?? 0) >= 95).length /
      run.fleet.filter((d) => stateOf(d.sim, bin)).length;
    const opts = { count: 500 };
    const ordinary = full(play(undefined, 36, opts));
    const wave = full(play('overflow', 36, opts));
    expect(wave).toBeGreaterThan(0.4);
    expect(wave).toBeGreaterThan(ordinary * 3);
  });
});

describe('rejoin', () => {
  it('brings 1,000 devices back with a join each and frame counters from 0', () => {
    const { events } = play('rejoin', 1.5);
    const joins = events.filter((e) => e.type === 'join');
    expect(joins.length).toBe(1000);
    expect(new Set(joins.map((e) => e.device)).size).toBe(1000);
    const joined = new Set(joins.map((e) => e.device));
    const firstAfter = new Map<FleetDevice, number>();
    const seenJoin = new Set<FleetDevice>();
    for (const e of events) {
      if (e.type === 'join') seenJoin.add(e.device);
      else if (seenJoin.has(e.device) && !firstAfter.has(e.device)) firstAfter.set(e.device, e.uplink.fCnt);
    }
    expect(firstAfter.size).toBe(joined.size);
    expect([...firstAfter.values()].every((fCnt) => fCnt === 0)).toBe(true);
  });
});
