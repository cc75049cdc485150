import { stateOf } from '../behaviour/index.ts';
import { waterMeter } from '../behaviour/water-meter.ts';
import { M_PER_DEG_LAT, M_PER_DEG_LON } from '../city/geometry.ts';
import type { FleetDevice } from '../fleet.ts';
import type { Scenario } from './scenario.ts';

const MINUTE = 60_000;
/** Meters on the burst main itself, and those downstream that lose pressure and start leaking. */
const ON_MAIN = 5;
const DOWNSTREAM = 10;

/**
 * A water main bursts in one district: the meters nearest the break raise their burst alarm
 * with a torrent through them, the next ones see leak flags and raised flow; each sends an
 * alarm uplink within minutes. The crew closes the main four hours later.
 */
export const burst: Scenario = {
  name: 'burst',
  summary: 'a water main bursts in one district: burst and leak alarms, high flow, repaired after 4 h',
  run(fleet, startMs, rng) {
    const meters = fleet.devices.filter((d) => stateOf(d.sim, waterMeter));
    const centre = meters.length > 0 ? rng.pick(meters) : undefined;
    if (!centre) return;
    const near = meters
      .filter((d) => d.district === centre.district)
      .sort((a, b) => distanceM(a, centre) - distanceM(b, centre))
      .slice(0, ON_MAIN + DOWNSTREAM);
    near.forEach((device, i) => {
      const s = stateOf(device.sim, waterMeter);
      if (!s) return;
      const onMain = i < ON_MAIN;
      const leakBefore = s.leakM3h;
      const heard = startMs + rng.int(1, 10) * MINUTE;
      fleet.at(startMs, () => {
        device.sim.behaviour.advance(s, startMs, device.sim.device);
        s.burst = onMain;
        s.burstM3h = onMain ? rng.decimal(4, 12, 2) : 0;
        s.leakM3h = onMain ? leakBefore : leakBefore + rng.decimal(0.2, 0.8, 2);
      });
      fleet.uplinkNow(device, heard);
      const repaired = startMs + 4 * 60 * MINUTE;
      fleet.at(repaired, () => {
        device.sim.behaviour.advance(s, repaired, device.sim.device);
        s.burst = false;
        s.burstM3h = 0;
        s.leakM3h = leakBefore;
      });
      fleet.uplinkNow(device, repaired + rng.int(1, 10) * MINUTE);
    });
  },
};

function distanceM(a: FleetDevice, b: FleetDevice): number {
  return Math.hypot((a.lon - b.lon) * M_PER_DEG_LON, (a.lat - b.lat) * M_PER_DEG_LAT);
}
