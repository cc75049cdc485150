import type { Encoder } from '../encoder.ts';
import { ByteWriter, scale } from '../writer.ts';

/** The CO2 working mode's periodic uplink (11 bytes, big-endian). */
export interface Laq4Values {
  /** V, 0.001 steps */
  Bat_V: number;
  Work_mode: 'CO2';
  Alarm_status: 'TRUE' | 'FALSE';
  TVOC_ppb: number;
  CO2_ppm: number;
  /** °C, 0.1 steps */
  TempC_SHT: number;
  /** %, 0.1 steps */
  Hum_SHT: number;
}

/** Work mode numbers, sent in bits 2-6 of the mode byte. */
const WORK_MODES = { CO2: 1 } as const;

export const laq4: Encoder<Laq4Values> = {
  model: 'dragino/laq4',
  fPort: 2,
  encode: (v) =>
    new ByteWriter()
      .u16be(scale(v.Bat_V, 1000))
      .u8((WORK_MODES[v.Work_mode] << 2) | (v.Alarm_status === 'TRUE' ? 1 : 0))
      .u16be(v.TVOC_ppb)
      .u16be(v.CO2_ppm)
      .i16be(scale(v.TempC_SHT, 10))
      .u16be(scale(v.Hum_SHT, 10))
      .toBytes(),
  randomValues: (rng) => ({
    Bat_V: rng.decimal(2.9, 3.6, 3),
    Work_mode: 'CO2',
    Alarm_status: rng.chance(0.05) ? 'TRUE' : 'FALSE',
    TVOC_ppb: rng.int(0, 2000),
    CO2_ppm: rng.int(400, 5000),
    TempC_SHT: rng.decimal(-10, 45, 1),
    Hum_SHT: rng.decimal(10, 95, 1),
  }),
};
