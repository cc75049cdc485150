import { createHash } from 'node:crypto';
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

// How the incidents read once ingest decodes them (burst, smog, cabinet) is tested where the two
// meet: infra/test/sim-meets-ingest/scenarios-decoded.test.ts.

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
