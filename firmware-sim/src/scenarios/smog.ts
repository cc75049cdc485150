import { airStation } from '../behaviour/air.ts';
import { stateOf } from '../behaviour/index.ts';
import type { Scenario } from './scenario.ts';

const HOUR = 3_600_000;

/**
 * A smog episode: a cold, still anticyclone traps the plants' and the traffic's smoke. Three
 * districts go far past the WHO guideline for a day or so; the rest of the city gets a share.
 */
export const smog: Scenario = {
  name: 'smog',
  summary: 'a smog episode: PM2.5 past 100 µg/m³ in three districts for a day, raised elsewhere',
  run(fleet, startMs, rng) {
    const stations = fleet.devices.filter((d) => stateOf(d.sim, airStation));
    const districts = rng.shuffle([...new Set(stations.map((d) => d.district))].sort()).slice(0, 3);
    const toMs = startMs + rng.int(18, 30) * HOUR;
    const peak = rng.int(120, 220);
    for (const device of stations) {
      const share = districts.includes(device.district) ? 1 : 0.3;
      stateOf(device.sim, airStation)?.episodes.push({ fromMs: startMs, toMs, peakPm25: peak * share });
    }
  },
};
