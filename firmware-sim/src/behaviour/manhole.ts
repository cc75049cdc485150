import { lpp } from '../encoders/cayenne/lpp.ts';
import { occasional } from '../world/noise.ts';
import { Battery } from './battery.ts';
import { adapter, type BaseState, type Behaviour, round } from './behaviour.ts';

const CHANNEL = { lid: 61 } as const;

export interface ManholeState extends BaseState {
  battery: Battery;
}

/**
 * A generic LPP sensor node under a manhole cover: a reed switch on the lid (an open manhole is
 * what residents report most), the shaft's temperature and humidity, and its battery voltage
 * on an analog channel, as such nodes commonly send it.
 */
export const manhole: Behaviour<ManholeState> = {
  kind: 'manhole',
  objectTypes: ['manhole'],
  init: (device, ms) => ({ battery: Battery.draw(device.rng, ms) }),
  advance: () => {},
  models: [
    adapter(lpp, 'io', [900, 1800], (s, ms, d) => ({
      digital_in_1: occasional(d.world.seed, d.key, CHANNEL.lid, ms, 0.003, 8) ? 1 : 0,
      // Underground the air follows the surface only a little, around the ground's 10 °C.
      temperature_2: round(10 + 0.3 * (d.world.temperature(ms) - 10), 1),
      relative_humidity_3: Math.min(100, Math.round((d.world.humidity(ms) + 25) * 2) / 2),
      analog_in_4: s.battery.volts(ms, 2),
    })),
  ],
};
