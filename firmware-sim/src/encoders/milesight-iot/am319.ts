import type { Encoder } from '../encoder.ts';
import { code, fieldsEncoder, i16le, scaled, tagged, u8, u16le } from '../fields.ts';
import { battery, humidityHalfPercent, MILESIGHT_FPORT } from './channels.ts';

export interface Am319Values {
  battery?: number;
  /** °C, 0.1 steps */
  temperature?: number;
  /** %, 0.5 steps */
  humidity?: number;
  /** PIR state (the AM319 reports presence, not the AM307's count) */
  activity?: 'idle' | 'trigger';
  /** light level class 0-5 */
  light_level?: number;
  /** ppm */
  co2?: number;
  tvoc?: number;
  /** hPa, 0.1 steps */
  pressure?: number;
  /** mg/m³, 0.01 steps */
  hcho?: number;
  /** µg/m³ */
  'pm2.5'?: number;
  /** µg/m³ */
  pm10?: number;
}

export const am319: Encoder<Am319Values> = {
  model: 'milesight-iot/am319',
  fPort: MILESIGHT_FPORT,
  encode: fieldsEncoder<Am319Values>({
    battery,
    temperature: tagged([0x03, 0x67], scaled(10, i16le)),
    humidity: tagged([0x04, 0x68], humidityHalfPercent),
    activity: tagged([0x05, 0x00], code({ idle: 0, trigger: 1 })),
    light_level: tagged([0x06, 0xcb], u8),
    co2: tagged([0x07, 0x7d], u16le),
    tvoc: tagged([0x08, 0x7d], u16le),
    pressure: tagged([0x09, 0x73], scaled(10, u16le)),
    hcho: tagged([0x0a, 0x7d], scaled(100, u16le)),
    'pm2.5': tagged([0x0b, 0x7d], u16le),
    pm10: tagged([0x0c, 0x7d], u16le),
  }),
  randomValues: (rng) =>
    rng.someOf({
      battery: rng.int(0, 100),
      temperature: rng.decimal(10, 35, 1),
      humidity: rng.steps(15, 90, 2),
      activity: rng.chance(0.3) ? ('trigger' as const) : ('idle' as const),
      light_level: rng.int(0, 5),
      co2: rng.int(400, 3000),
      tvoc: rng.int(0, 1000),
      pressure: rng.decimal(950, 1050, 1),
      hcho: rng.decimal(0, 1.5, 2),
      'pm2.5': rng.int(0, 300),
      pm10: rng.int(0, 500),
    }),
};
