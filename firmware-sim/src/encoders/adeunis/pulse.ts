import type { Encoder } from '../encoder.ts';
import { ByteWriter } from '../writer.ts';

/** The vendor decoder nests its result under `bytes`; the values keep that shape. */
export interface PulseValues {
  bytes: {
    status: {
      /** 0-7, increments with every frame */
      frameCounter: number;
      lowBattery: boolean;
      configurationDone: boolean;
    };
    /** UTC without zone suffix, whole seconds: `2023-12-28T19:22:17.000`; absent if not sent */
    timestamp?: string;
    /** channel A counter now, then at t−1, t−2, ... (never increasing going back) */
    counterValues: number[];
  };
}

const FRAME_CHANNEL_A_HISTORY = 0x5a;
/** Adeunis timestamps count seconds from 2013-01-01T00:00:00Z. */
const EPOCH_2013_S = Date.UTC(2013, 0, 1) / 1000;

function secondsSince2013(timestamp: string): number {
  const ms = Date.parse(`${timestamp}Z`);
  if (Number.isNaN(ms)) throw new RangeError(`bad timestamp ${timestamp}`);
  return ms / 1000 - EPOCH_2013_S;
}

export const pulse: Encoder<PulseValues> = {
  model: 'adeunis/pulse',
  fPort: 1,
  encode: ({ bytes: v }) => {
    const [now, ...history] = v.counterValues;
    if (now === undefined) throw new RangeError('counterValues needs the current counter');
    const status =
      (v.status.frameCounter << 5) |
      (v.timestamp === undefined ? 0 : 0x04) |
      (v.status.lowBattery ? 0x02 : 0) |
      (v.status.configurationDone ? 0x01 : 0);
    const w = new ByteWriter().u8(FRAME_CHANNEL_A_HISTORY).u8(status).u32be(now);
    // History travels as the drop from each sample to the one before it.
    let newer = now;
    for (const older of history) {
      w.u16be(newer - older);
      newer = older;
    }
    if (v.timestamp !== undefined) w.u32be(secondsSince2013(v.timestamp));
    return w.toBytes();
  },
  randomValues: (rng) => {
    const counterValues = [rng.int(0, 50_000_000)];
    for (let i = 0; i < 4; i++) counterValues.push(Math.max(0, (counterValues[i] ?? 0) - rng.int(0, 200)));
    const seconds = rng.int(1_700_000_000, 1_900_000_000);
    return {
      bytes: {
        status: { frameCounter: rng.int(0, 7), lowBattery: rng.chance(0.1), configurationDone: rng.chance(0.9) },
        ...(rng.chance(0.8) ? { timestamp: new Date(seconds * 1000).toISOString().replace('Z', '') } : {}),
        counterValues,
      },
    };
  },
};
