import { stateOf } from '../behaviour/index.ts';
import { lightingCabinet, streetlight } from '../behaviour/streetlight.ts';
import type { FleetDevice } from '../fleet.ts';
import { LIGHTING_SUN_ALTITUDE } from '../world/world.ts';
import type { Scenario } from './scenario.ts';

const HOUR = 3_600_000;
/** A row worth showing: a cabinet with at least this many pole controllers. */
const MIN_ROW = 5;

/**
 * A lighting cabinet's contactor fails as it switches on at dusk: its whole row of poles stays
 * dark. Their controllers still report - switched on, drawing nothing - and the cabinet's own
 * meter and current sensor see the load gone. An electrician fixes it twelve hours later.
 */
export const cabinet: Scenario = {
  name: 'cabinet',
  summary: 'a lighting cabinet fails at dusk: its whole row of poles dark for 12 h',
  run(fleet, startMs, rng) {
    const rows = new Map<string, FleetDevice[]>();
    for (const device of fleet.devices) {
      const onPole = stateOf(device.sim, streetlight) !== undefined;
      const inCabinet = stateOf(device.sim, lightingCabinet) !== undefined;
      const number = onPole ? device.sim.device.mount.props.cabinet : inCabinet ? device.objectNumber : undefined;
      if (typeof number === 'string') rows.set(number, [...(rows.get(number) ?? []), device]);
    }
    const candidates = [...rows.entries()].filter(
      ([, row]) => row.filter((d) => stateOf(d.sim, streetlight)).length >= MIN_ROW,
    );
    if (candidates.length === 0) return;
    const [, row] = rng.pick(candidates.sort(([a], [b]) => a.localeCompare(b)));
    const first = row[0];
    if (!first) return;
    // The failure shows when the lights should come on: now if they are on, else at dusk.
    const world = first.sim.device.world;
    const dusk = world.sun(startMs, LIGHTING_SUN_ALTITUDE).set;
    const failsAt = world.lightsOn(startMs) ? startMs : dusk;
    const setFeeder = (down: boolean, ms: number) => () => {
      for (const device of row) {
        device.sim.behaviour.advance(device.sim.state, ms, device.sim.device);
        const circuit = stateOf(device.sim, streetlight) ?? stateOf(device.sim, lightingCabinet);
        if (circuit) circuit.feederDown = down;
      }
    };
    fleet.at(failsAt, setFeeder(true, failsAt));
    fleet.at(failsAt + 12 * HOUR, setFeeder(false, failsAt + 12 * HOUR));
  },
};
