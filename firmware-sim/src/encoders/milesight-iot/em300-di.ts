import type { Encoder } from '../encoder.ts';
import { fieldsEncoder, tagged, u32le } from '../fields.ts';
import { battery, MILESIGHT_FPORT } from './channels.ts';

export interface Em300DiValues {
  battery?: number;
  /** pulses counted since installation */
  pulse?: number;
}

export const em300Di: Encoder<Em300DiValues> = {
  model: 'milesight-iot/em300-di',
  fPort: MILESIGHT_FPORT,
  encode: fieldsEncoder<Em300DiValues>({
    battery,
    pulse: tagged([0x05, 0xc8], u32le),
  }),
  randomValues: (rng) => rng.someOf({ battery: rng.int(0, 100), pulse: rng.int(0, 0xffffffff) }),
};
