import type { Encoder } from '../encoder.ts';
import { code, fieldsEncoder, scaled, tagged, u16le, u32le } from '../fields.ts';
import { MILESIGHT_FPORT } from './channels.ts';

export interface Ws52xValues {
  /** V, 0.1 steps */
  voltage?: number;
  /** W */
  power?: number;
  /** Wh */
  energy?: number;
  /** socket relay state */
  button?: 'open' | 'close';
}

export const ws52x: Encoder<Ws52xValues> = {
  model: 'milesight-iot/ws52x',
  fPort: MILESIGHT_FPORT,
  encode: fieldsEncoder<Ws52xValues>({
    voltage: tagged([0x03, 0x74], scaled(10, u16le)),
    power: tagged([0x04, 0x80], u32le),
    energy: tagged([0x06, 0x83], u32le),
    button: tagged([0x08, 0x70], code({ close: 0, open: 1 })),
  }),
  randomValues: (rng) =>
    rng.someOf({
      voltage: rng.decimal(207, 253, 1),
      power: rng.int(0, 3680),
      energy: rng.int(0, 10_000_000),
      button: rng.chance(0.7) ? ('open' as const) : ('close' as const),
    }),
};
