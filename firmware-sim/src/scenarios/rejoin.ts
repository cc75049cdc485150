import type { FleetDevice } from '../fleet.ts';
import type { Scenario } from './scenario.ts';

const MINUTE = 60_000;
/** How many devices the power cut takes down. */
const CUT = 1000;

/**
 * A power cut across whole districts takes down up to 1,000 mains-powered devices (lighting
 * controllers, cabinet meters and I/O). When power returns 20-40 minutes later each one boots,
 * joins again (OTAA, with its next DevNonce) within a few minutes of random back-off, and
 * counts its frames from 0 again.
 */
export const rejoin: Scenario = {
  name: 'rejoin',
  summary: 'a power cut: up to 1,000 mains-powered devices go dark, then rejoin with fCnt reset to 0',
  run(fleet, startMs, rng) {
    const mains = fleet.devices.filter((d) => d.sim.state.battery === undefined);
    const districts = rng.shuffle([...new Set(mains.map((d) => d.district))].sort());
    const cut: FleetDevice[] = districts
      .flatMap((district) => mains.filter((d) => d.district === district))
      .slice(0, CUT);
    const restoredAt = startMs + rng.int(20, 40) * MINUTE;
    for (const device of cut) {
      const joinAt = restoredAt + rng.int(5, 180) * 1000;
      // Nothing is heard from it until it has joined again.
      device.offlineUntilMs = joinAt;
      fleet.rejoin(device, joinAt);
      // A device's first uplink follows its join within seconds.
      fleet.uplinkNow(device, joinAt + rng.int(3, 20) * 1000);
    }
  },
};
