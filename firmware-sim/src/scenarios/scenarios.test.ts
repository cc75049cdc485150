import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { bin } from '../behaviour/bin.ts';
import { stateOf } from '../behaviour/index.ts';
import { type City, demoCity } from '../city/index.ts';
import type { FleetDevice } from '../fleet.ts';
import { OUTPUTS } from '../outputs/index.ts';
import { atLocal, localDayNumber } from '../world/local-time.ts';
import { SCENARIOS } from './index.ts';
import { type PlayedScenario, playScenario } from './play.ts';

/** A winter Monday, 10:00 local. */
const MONDAY = atLocal(localDayNumber(Date.parse('2026-01-12T12:00:00Z')), 10);
const CITY = demoCity(1, 3000);

/** Plays `hours` of a fleet on the test city from `start`, with `scenario` starting at once. */
const play = (
  scenario: string | undefined,
  hours: number,
  opts: { start?: number; count?: number; city?: City } = {},
): PlayedScenario =>
  playScenario({ city: opts.city ?? CITY, scenario, start: opts.start ?? MONDAY, hours, count: opts.count });

// How the incidents read once ingest decodes them (burst, smog, cabinet) is tested where the two
// meet: infra/test/sim-meets-ingest/scenarios-decoded.test.ts.

describe('scenario registry', () => {
  it('has the five incidents, each under its own name', () => {
    expect(SCENARIOS.map((s) => s.name)).toEqual(['burst', 'smog', 'cabinet', 'overflow', 'rejoin']);
  });

  it('replays a scenario event for event from the same seed', () => {
    const digest = (run: PlayedScenario) => {
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
    const full = (run: PlayedScenario) =>
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
