import type { Encoder } from '../encoder.ts';
import { BitWriter, ByteWriter, scale } from '../writer.ts';

type Hour = 1 | 2 | 3 | 4 | 5 | 6 | 7 | 8 | 9 | 10 | 11 | 12 | 13 | 14 | 15 | 16 | 17 | 18 | 19 | 20 | 21 | 22 | 23;
type DeltaKey = `delta_${Hour}_m3`;

const DELTA_KEYS = Array.from({ length: 23 }, (_, i) => `delta_${i + 1}_m3` as DeltaKey);

/** The 51-byte "enhanced 24h" frame: a logged volume and the 23 hourly consumptions after it. */
export type QalcosonicW1Values = Record<DeltaKey, number> & {
  /** meter clock, Unix seconds */
  timestamp_unix: number;
  /**
   * The meter's status code, sent as is: the vendor's flags are patterns of this byte
   * (0x60 backflow, 0xA0 burst), not one bit each, so the byte is what the firmware knows.
   */
  status: number;
  /** m³, 0.001 steps (sent in litres) */
  log_volume_m3: number;
  /** 6-bit scaling code for the deltas; 0 on every meter seen so far */
  history_multiplier: number;
};

const FRAME_VERSION = 1;
/** Status codes the meter documents (0x00 no error), with low battery (0x04) able to join any. */
const STATUS_CODES = [0x00, 0x08, 0x10, 0x20, 0x60, 0x80, 0xa0];

export const qalcosonicW1: Encoder<QalcosonicW1Values> = {
  model: 'axioma/qalcosonic-w1',
  fPort: 100,
  encode: (v) => {
    const deltas = new BitWriter();
    for (const key of DELTA_KEYS) deltas.uint(scale(v[key], 1000), 14);
    deltas.uint(v.history_multiplier, 6);
    return new ByteWriter()
      .u8(FRAME_VERSION)
      .u32le(v.timestamp_unix)
      .u8(v.status)
      .u32le(scale(v.log_volume_m3, 1000))
      .bytes(deltas.toBytes())
      .toBytes();
  },
  randomValues: (rng) => {
    const deltas = Object.fromEntries(
      DELTA_KEYS.map((key) => [key, rng.chance(0.4) ? 0 : rng.decimal(0, rng.chance(0.05) ? 16.383 : 0.1, 3)]),
    ) as Record<DeltaKey, number>;
    return {
      ...deltas,
      timestamp_unix: rng.int(1_700_000_000, 1_900_000_000),
      status: rng.pick(STATUS_CODES) | (rng.chance(0.1) ? 0x04 : 0),
      log_volume_m3: rng.decimal(0, 99_999, 3),
      history_multiplier: rng.chance(0.9) ? 0 : rng.int(1, 63),
    };
  },
};
