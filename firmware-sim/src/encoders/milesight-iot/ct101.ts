import type { Encoder } from '../encoder.ts';
import { ByteWriter, scale } from '../writer.ts';
import { MILESIGHT_FPORT } from './channels.ts';

type YesNo = 'yes' | 'no';

export interface Ct101Values {
  /** A, 0.01 steps */
  current_max: number;
  current_min: number;
  current: number;
  current_alarm: {
    current_threshold_alarm: YesNo;
    current_threshold_alarm_release: YesNo;
    current_over_range_alarm: YesNo;
    current_over_range_alarm_release: YesNo;
  };
}

/** Alarm byte bits 0-3, in this order. */
const ALARM_BITS = [
  'current_threshold_alarm',
  'current_threshold_alarm_release',
  'current_over_range_alarm',
  'current_over_range_alarm_release',
] as const;

export const ct101: Encoder<Ct101Values> = {
  model: 'milesight-iot/ct101',
  fPort: MILESIGHT_FPORT,
  encode: (v) => {
    const alarm = ALARM_BITS.reduce((byte, key, bit) => (v.current_alarm[key] === 'yes' ? byte | (1 << bit) : byte), 0);
    return new ByteWriter()
      .u8(0x84)
      .u8(0x98)
      .u16le(scale(v.current_max, 100))
      .u16le(scale(v.current_min, 100))
      .u16le(scale(v.current, 100))
      .u8(alarm)
      .toBytes();
  },
  randomValues: (rng) => {
    const min = rng.decimal(0, 40, 2);
    const max = rng.decimal(min, 100, 2);
    const yesNo = (): YesNo => (rng.chance(0.1) ? 'yes' : 'no');
    return {
      current_max: max,
      current_min: min,
      current: rng.decimal(min, max, 2),
      current_alarm: {
        current_threshold_alarm: yesNo(),
        current_threshold_alarm_release: yesNo(),
        current_over_range_alarm: yesNo(),
        current_over_range_alarm_release: yesNo(),
      },
    };
  },
};
