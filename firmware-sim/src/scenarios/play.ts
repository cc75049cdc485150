import type { City } from '../city/index.ts';
import { type FleetDevice, makeFleet } from '../fleet.ts';
import { Random, seedFrom } from '../random.ts';
import { type SimEvent, Simulation } from '../simulation.ts';
import { findScenario } from './index.ts';

const HOUR_MS = 3_600_000;

export interface PlayedScenario {
  fleet: FleetDevice[];
  events: SimEvent[];
}

/**
 * Plays `hours` of a city's fleet offline from `start`, with `scenario` (if any) starting at
 * once: every event the devices would send, in order, deterministic from `seed`. What a test of
 * anything downstream (decoding, alarms) needs to see an incident as the city would.
 */
export function playScenario(opts: {
  city: City;
  scenario?: string | undefined;
  start: number;
  hours: number;
  count?: number | undefined;
  seed?: number;
}): PlayedScenario {
  const seed = opts.seed ?? 1;
  const fleet = makeFleet({ seed, applicationId: 'test', start: opts.start, city: opts.city, count: opts.count });
  const sim = new Simulation(fleet, opts.start, 1);
  if (opts.scenario) {
    const scenario = findScenario(opts.scenario);
    if (!scenario) throw new Error(`no scenario "${opts.scenario}"`);
    scenario.run(sim, opts.start, new Random(seedFrom(`${seed}:scenario:${opts.scenario}`)));
  }
  const end = opts.start + opts.hours * HOUR_MS;
  const events: SimEvent[] = [];
  for (let e = sim.next(end); e; e = sim.next(end)) events.push(e);
  return { fleet, events };
}
