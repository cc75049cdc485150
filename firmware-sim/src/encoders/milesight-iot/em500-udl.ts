import type { Encoder } from '../encoder.ts';
import { fieldsEncoder, tagged, u16le } from '../fields.ts';
import { battery, MILESIGHT_FPORT } from './channels.ts';

export interface Em500UdlValues {
  battery?: number;
  /** mm */
  distance?: number;
}

export const em500Udl: Encoder<Em500UdlValues> = {
  model: 'milesight-iot/em500-udl',
  fPort: MILESIGHT_FPORT,
  encode: fieldsEncoder<Em500UdlValues>({
    battery,
    distance: tagged([0x03, 0x82], u16le),
  }),
  randomValues: (rng) => rng.someOf({ battery: rng.int(0, 100), distance: rng.int(300, 10000) }),
};
