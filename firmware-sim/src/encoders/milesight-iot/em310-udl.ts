import type { Encoder } from '../encoder.ts';
import { code, fieldsEncoder, tagged, u16le } from '../fields.ts';
import { battery, MILESIGHT_FPORT } from './channels.ts';

export interface Em310UdlValues {
  battery?: number;
  /** mm */
  distance?: number;
  tilt?: 'normal' | 'tilt';
}

export const em310Udl: Encoder<Em310UdlValues> = {
  model: 'milesight-iot/em310-udl',
  fPort: MILESIGHT_FPORT,
  encode: fieldsEncoder<Em310UdlValues>({
    battery,
    distance: tagged([0x03, 0x82], u16le),
    tilt: tagged([0x04, 0x00], code({ normal: 0, tilt: 1 })),
  }),
  randomValues: (rng) =>
    rng.someOf({
      battery: rng.int(0, 100),
      distance: rng.int(200, 5000),
      tilt: rng.chance(0.05) ? ('tilt' as const) : ('normal' as const),
    }),
};
