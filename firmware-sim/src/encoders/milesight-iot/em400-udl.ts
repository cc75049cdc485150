import type { Encoder } from '../encoder.ts';
import { code, fieldsEncoder, i16le, scaled, tagged, u16le } from '../fields.ts';
import { battery, MILESIGHT_FPORT } from './channels.ts';

export interface Em400UdlValues {
  battery?: number;
  /** °C, 0.1 steps */
  temperature?: number;
  /** mm */
  distance?: number;
  position?: 'normal' | 'tilt';
}

export const em400Udl: Encoder<Em400UdlValues> = {
  model: 'milesight-iot/em400-udl',
  fPort: MILESIGHT_FPORT,
  encode: fieldsEncoder<Em400UdlValues>({
    battery,
    temperature: tagged([0x03, 0x67], scaled(10, i16le)),
    distance: tagged([0x04, 0x82], u16le),
    position: tagged([0x05, 0x00], code({ normal: 0, tilt: 1 })),
  }),
  randomValues: (rng) =>
    rng.someOf({
      battery: rng.int(0, 100),
      temperature: rng.decimal(-20, 50, 1),
      distance: rng.int(200, 4000),
      position: rng.chance(0.05) ? ('tilt' as const) : ('normal' as const),
    }),
};
