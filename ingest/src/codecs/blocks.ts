import type { DecodeResult, MetricValue, UplinkInput } from '../contract/codec.ts';
import type { MetricName } from '../contract/metrics.ts';

/** Raised inside a decoder for a payload it cannot read; `safeDecode` turns it into `{errors}`. */
export class PayloadError extends Error {}

/** Bounds-checked cursor over a payload: reading past the end raises PayloadError, not garbage. */
export class ByteReader {
  private offset = 0;
  private readonly view: DataView;

  constructor(private readonly bytes: Uint8Array) {
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  get remaining(): number {
    return this.bytes.length - this.offset;
  }

  get position(): number {
    return this.offset;
  }

  private take(n: number): number {
    if (this.offset + n > this.bytes.length) {
      throw new PayloadError(`payload too short: need ${n} byte(s) at offset ${this.offset}, have ${this.remaining}`);
    }
    const at = this.offset;
    this.offset += n;
    return at;
  }

  u8(): number {
    return this.view.getUint8(this.take(1));
  }
  i8(): number {
    return this.view.getInt8(this.take(1));
  }
  u16le(): number {
    return this.view.getUint16(this.take(2), true);
  }
  i16le(): number {
    return this.view.getInt16(this.take(2), true);
  }
  u32le(): number {
    return this.view.getUint32(this.take(4), true);
  }
  u16be(): number {
    return this.view.getUint16(this.take(2), false);
  }
  i16be(): number {
    return this.view.getInt16(this.take(2), false);
  }
  u32be(): number {
    return this.view.getUint32(this.take(4), false);
  }
  i32be(): number {
    return this.view.getInt32(this.take(4), false);
  }
  f32be(): number {
    return this.view.getFloat32(this.take(4), false);
  }
  bytesOf(n: number): Uint8Array {
    const at = this.take(n);
    return this.bytes.subarray(at, at + n);
  }
}

/** Runs a decoder body and converts any PayloadError (or slip) into TTN's `{errors}` shape. */
export function safeDecode<T>(
  input: UplinkInput,
  body: (input: UplinkInput, warnings: string[]) => T,
): DecodeResult<T> {
  const warnings: string[] = [];
  try {
    return { data: body(input, warnings), warnings };
  } catch (err) {
    return { errors: [err instanceof Error ? err.message : String(err)] };
  }
}

/** Rounds away float noise from scaled integers (e.g. 308 / 10 -> 30.8, not 30.800000000000001). */
export function scaled(raw: number, divisor: number): number {
  return Number((raw / divisor).toFixed(6));
}

/** Collects metrics from a decoded object, skipping absent or non-finite values. */
export function metricsFrom(
  pairs: ReadonlyArray<readonly [MetricName, number | boolean | undefined | null]>,
): MetricValue[] {
  const out: MetricValue[] = [];
  for (const [metric, raw] of pairs) {
    if (raw === undefined || raw === null) continue;
    const value = typeof raw === 'boolean' ? (raw ? 1 : 0) : raw;
    if (Number.isFinite(value)) out.push({ metric, value });
  }
  return out;
}

/** Default bin depth when an object has none configured: a common 1.2 m street bin. */
export const DEFAULT_BIN_DEPTH_MM = 1200;

/** Fill level % from an ultrasonic distance: 0 at the floor (distance = depth), 100 at the sensor. */
export function distanceToFill(distanceMm: number, depthMm = DEFAULT_BIN_DEPTH_MM): number {
  const fill = ((depthMm - distanceMm) / depthMm) * 100;
  return Math.round(Math.min(100, Math.max(0, fill)) * 10) / 10;
}
