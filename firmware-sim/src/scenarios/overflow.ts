import { bin } from '../behaviour/bin.ts';
import { stateOf } from '../behaviour/index.ts';
import type { Scenario } from './scenario.ts';

const DAY = 86_400_000;

/**
 * The days before a holiday: people clear out their homes and shop for the feast, bins fill
 * two to three times as fast, and the crews, short-handed, skip two days of rounds. The wave
 * ends with the holiday, when collection catches up.
 */
export const overflow: Scenario = {
  name: 'overflow',
  summary: 'a bin overflow wave before a holiday: bins fill 2-3x faster, no collection for 2 days',
  run(fleet, startMs, rng) {
    const bins = fleet.devices.flatMap((d) => {
      const s = stateOf(d.sim, bin);
      return s ? [{ device: d, s }] : [];
    });
    const endsAt = startMs + 2 * DAY;
    fleet.at(startMs, () => {
      for (const { device, s } of bins) {
        bin.advance(s, startMs, device.sim.device);
        s.boost = rng.decimal(2, 3, 2);
        s.noCollectionUntilMs = endsAt;
      }
    });
    fleet.at(endsAt, () => {
      for (const { device, s } of bins) {
        bin.advance(s, endsAt, device.sim.device);
        s.boost = 1;
      }
    });
  },
};
