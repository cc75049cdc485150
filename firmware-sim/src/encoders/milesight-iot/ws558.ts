import type { Encoder } from '../encoder.ts';
import { fieldsEncoder, scaled, tagged, u16le, u32le } from '../fields.ts';
import { MILESIGHT_FPORT } from './channels.ts';

export interface Ws558Values {
  /** V, 0.1 steps */
  voltage?: number;
  /** W */
  power?: number;
  /** Wh */
  power_consumption?: number;
}

export const ws558: Encoder<Ws558Values> = {
  model: 'milesight-iot/ws558',
  fPort: MILESIGHT_FPORT,
  encode: fieldsEncoder<Ws558Values>({
    voltage: tagged([0x03, 0x74], scaled(10, u16le)),
    power: tagged([0x04, 0x80], u32le),
    power_consumption: tagged([0x06, 0x83], u32le),
  }),
  randomValues: (rng) =>
    rng.someOf({
      voltage: rng.decimal(207, 253, 1),
      power: rng.int(0, 8 * 2300),
      power_consumption: rng.int(0, 50_000_000),
    }),
};
