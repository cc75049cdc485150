import type { Encoder } from '../encoder.ts';
import { fieldsEncoder, i16le, scaled, tagged, u16le } from '../fields.ts';
import { battery, humidityHalfPercent, MILESIGHT_FPORT } from './channels.ts';

export interface Am307Values {
  battery?: number;
  /** °C, 0.1 steps */
  temperature?: number;
  /** %, 0.5 steps */
  humidity?: number;
  /** PIR activity count */
  activity?: number;
  /** ppm */
  co2?: number;
  tvoc?: number;
  /** hPa, 0.1 steps */
  pressure?: number;
}

export const am307: Encoder<Am307Values> = {
  model: 'milesight-iot/am307',
  fPort: MILESIGHT_FPORT,
  encode: fieldsEncoder<Am307Values>({
    battery,
    temperature: tagged([0x03, 0x67], scaled(10, i16le)),
    humidity: tagged([0x04, 0x68], humidityHalfPercent),
    activity: tagged([0x05, 0x6a], u16le),
    co2: tagged([0x07, 0x7d], u16le),
    tvoc: tagged([0x08, 0x7d], u16le),
    pressure: tagged([0x09, 0x73], scaled(10, u16le)),
  }),
  randomValues: (rng) =>
    rng.someOf({
      battery: rng.int(0, 100),
      temperature: rng.decimal(10, 35, 1),
      humidity: rng.steps(15, 90, 2),
      activity: rng.int(0, 500),
      co2: rng.int(400, 3000),
      tvoc: rng.int(0, 1000),
      pressure: rng.decimal(950, 1050, 1),
    }),
};
