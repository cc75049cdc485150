import type { FleetDevice } from './fleet.ts';
import type { Output } from './outputs/index.ts';
import { Random, seedFrom } from './random.ts';
import type { Scenario } from './scenarios/scenario.ts';
import { type FleetControl, type SimEvent, Simulation } from './simulation.ts';

export interface RunOptions {
  /** simulated seconds per real second; Infinity plays as fast as the broker takes it */
  speed: number;
  seed: number;
  output: Output;
  /** simulated start, ms (the fleet's); default now */
  start?: number;
  /** stop after this much simulated time, ms; default never */
  durationMs?: number;
  scenarios?: readonly { scenario: Scenario; atMs: number }[];
  /**
   * `simulated` (default) stamps events with simulated time, so a replay is exact;
   * `wall` with the moment they are sent, for a live dashboard watching a faster city.
   */
  timestamps?: 'simulated' | 'wall';
  /** publishes in flight before the player waits for the broker; default 1,000 */
  window?: number;
  tickMs?: number;
}

export interface FleetRun {
  readonly uplinks: number;
  readonly joins: number;
  /** publishes the broker refused */
  readonly failed: number;
  /** the simulated clock, ms */
  readonly simTime: number;
  /** resolves when the duration is played (or `stop` was called) and every publish settled */
  readonly done: Promise<void>;
  /** The fleet in play: what reacts to downlinks changes devices and asks for uplinks through it. */
  readonly control: FleetControl;
  stop(): Promise<void>;
}

/**
 * Plays the fleet against the clock, `speed` times faster than life, publishing what `output`
 * makes of each event. Keeps at most `window` publishes in flight: when the broker is slower
 * than the fleet, the simulated clock falls behind instead of memory filling up.
 */
export function runFleet(
  devices: readonly FleetDevice[],
  publish: (topic: string, payload: Uint8Array) => Promise<unknown>,
  opts: RunOptions,
): FleetRun {
  const start = opts.start ?? Date.now();
  const end = start + (opts.durationMs ?? Number.POSITIVE_INFINITY);
  if (opts.speed === Number.POSITIVE_INFINITY && end === Number.POSITIVE_INFINITY) {
    throw new RangeError('playing as fast as possible needs a duration');
  }
  const window = opts.window ?? 1000;
  const sim = new Simulation(devices, start, opts.seed);
  for (const { scenario, atMs } of opts.scenarios ?? []) {
    scenario.run(sim, atMs, new Random(seedFrom(`${opts.seed}:scenario:${scenario.name}`)));
  }

  const counts = { uplinks: 0, joins: 0, failed: 0 };
  let inflight = 0;
  let running = true;
  let wake: (() => void) | undefined;
  const settle = () => {
    inflight--;
    if (inflight <= window / 2) wake?.();
  };
  const waitForBroker = () =>
    new Promise<void>((resolve) => {
      wake = resolve;
    });
  const send = (event: SimEvent) => {
    if (opts.timestamps === 'wall') stampNow(event);
    counts[event.type === 'up' ? 'uplinks' : 'joins']++;
    for (const m of opts.output.messages(event)) {
      inflight++;
      publish(m.topic, m.payload)
        .catch(() => counts.failed++)
        .finally(settle);
    }
  };

  const realStart = performance.now();
  const done = (async () => {
    while (running) {
      const elapsed = performance.now() - realStart;
      const target = opts.speed === Number.POSITIVE_INFINITY ? end : Math.min(end, start + elapsed * opts.speed);
      for (let event = sim.next(target); event && running; event = sim.next(target)) {
        send(event);
        if (inflight >= window) await waitForBroker();
      }
      if (target >= end) break;
      await new Promise((resolve) => setTimeout(resolve, opts.tickMs ?? 100));
    }
    while (inflight > 0) await waitForBroker();
  })();

  return {
    get uplinks() {
      return counts.uplinks;
    },
    get joins() {
      return counts.joins;
    },
    get failed() {
      return counts.failed;
    },
    get simTime() {
      return sim.now;
    },
    done,
    control: sim,
    stop: async () => {
      running = false;
      wake?.();
      await done;
    },
  };
}

function stampNow(event: SimEvent): void {
  if (event.type === 'up') event.uplink.time = new Date();
  else event.time = new Date();
}
