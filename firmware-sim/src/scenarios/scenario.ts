import type { Random } from '../random.ts';
import type { FleetControl } from '../simulation.ts';

/**
 * A scripted incident: from the fleet, the simulated moment it begins and its own random
 * stream, it changes device state (now and at later moments through `fleet.at`). Pure of the
 * wall clock, so the same seed and start replay the same events.
 */
export interface Scenario {
  name: string;
  summary: string;
  run(fleet: FleetControl, startMs: number, rng: Random): void;
}
