import { lightingCabinet, stateOf, streetlight } from '../behaviour/index.ts';
import { dimPole, switchPole } from '../behaviour/streetlight.ts';
import type { FleetDevice } from '../fleet.ts';
import type { DownlinkAction } from './frames.ts';

/** Report intervals a controller accepts (Milesight's documented range: 1 min to 18 h). */
const INTERVAL_S = { min: 60, max: 64_800 } as const;

/**
 * Applies what a downlink asked to the device's state at simulated `ms`; returns what it did, for
 * the log. A pole's controller switches or dims its lamp (channel 1); a cabinet's WS558 switches its
 * feeder (circuit 1), which its meter then shows (the poles are devices of their own).
 */
export function applyDownlink(device: FleetDevice, actions: readonly DownlinkAction[], ms: number): string[] {
  const done: string[] = [];
  for (const action of actions) {
    switch (action.type) {
      case 'report_interval':
        if (action.seconds >= INTERVAL_S.min && action.seconds <= INTERVAL_S.max) {
          device.intervalS = action.seconds;
          done.push(`report every ${action.seconds} s`);
        }
        break;
      case 'switch': {
        const pole = stateOf(device.sim, streetlight);
        if (pole && action.channel === 1) {
          switchPole(pole, action.on, ms, device.sim.device);
          done.push(`lamp ${action.on ? 'on' : 'off'}`);
        }
        const cabinet = stateOf(device.sim, lightingCabinet);
        if (cabinet && action.channel === 1) {
          lightingCabinet.advance(cabinet, ms, device.sim.device);
          cabinet.feederDown = !action.on;
          done.push(`feeder ${action.on ? 'on' : 'off'}`);
        }
        break;
      }
      case 'dim': {
        const pole = stateOf(device.sim, streetlight);
        if (pole && action.channel === 1) {
          dimPole(pole, action.level, ms, device.sim.device);
          done.push(`lamp dimmed to ${action.level} %`);
        }
        break;
      }
    }
  }
  return done;
}
