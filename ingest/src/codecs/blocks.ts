import type {
  Codec,
  DecodeResult,
  EncodeResult,
  MetricValue,
  NormaliseContext,
  UplinkInput,
} from '../contract/codec.ts';
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
  u24be(): number {
    const at = this.take(3);
    return (this.view.getUint16(at, false) << 8) | this.view.getUint8(at + 2);
  }
  i24be(): number {
    const raw = this.u24be();
    return raw & 0x800000 ? raw - 0x1000000 : raw;
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
  /** Everything not read yet. */
  rest(): Uint8Array {
    return this.bytesOf(this.remaining);
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

/** What a model file declares; `defineCodec` adds the port check and the never-throw wrapper. */
export interface CodecSpec<T extends object> extends Omit<Codec<T>, 'decodeUplink'> {
  decode(bytes: Uint8Array, warnings: string[], fPort: number): T;
}

export function defineCodec<T extends object>(spec: CodecSpec<T>): Codec<T> {
  const { decode, ...codec } = spec;
  const ports = spec.fPorts;
  return {
    ...codec,
    decodeUplink: (input) =>
      safeDecode(input, ({ fPort, bytes }, warnings) => {
        // TTN's wording, so the vendors' own negative examples match.
        if (ports && !ports.includes(fPort)) throw new PayloadError(`unknown FPort ${fPort}`);
        return decode(bytes, warnings, fPort);
      }),
  };
}

/** Runs an encoder body, turning a PayloadError (bad value, unsupported command) into `{errors}`. */
export function safeEncode(body: () => EncodeResult): EncodeResult {
  try {
    return body();
  } catch (err) {
    return { errors: [err instanceof Error ? err.message : String(err)] };
  }
}

/**
 * Reads one record of a `[type][value]` payload into `out`, or returns why it cannot: a type it
 * does not know, whose value length is therefore unknown.
 */
export type RecordStep = (r: ByteReader, out: Record<string, unknown>) => string | undefined;

/**
 * Walks a payload of self-typed records. An unknown record ends the walk, since nothing after
 * it can be framed: what came before is kept with a warning (a firmware that added a channel
 * still reports the rest), but a payload whose first record is unknown is an error.
 */
export function walkRecords(bytes: Uint8Array, warnings: string[], step: RecordStep): Record<string, unknown> {
  if (bytes.length === 0) throw new PayloadError('empty payload');
  const r = new ByteReader(bytes);
  const out: Record<string, unknown> = {};
  while (r.remaining > 0) {
    const at = r.position;
    const unknown = step(r, out);
    if (unknown === undefined) continue;
    if (at === 0) throw new PayloadError(unknown);
    warnings.push(`${unknown}; ${bytes.length - at} byte(s) from offset ${at} not decoded`);
    break;
  }
  return out;
}

/** Reads `length` bits starting at bit `startBit`, least-significant bit of each byte first. */
export function bitsLE(bytes: Uint8Array, startBit: number, length: number): number {
  if (startBit + length > bytes.length * 8) {
    throw new PayloadError(`payload too short: need bit ${startBit + length - 1}, have ${bytes.length * 8} bits`);
  }
  let value = 0;
  for (let i = 0; i < length; i++) {
    const bit = startBit + i;
    if (((bytes[bit >> 3] ?? 0) >> (bit & 7)) & 1) value += 2 ** i;
  }
  return value;
}

export function hex(bytes: Uint8Array): string {
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

/**
 * A type code as the lower-case hex the vendors document it in (`hexKey(0x0b01, 2)` is
 * `'0b01'`): lookup tables are keyed so, since the formatter rewrites numeric keys as decimal.
 */
export function hexKey(code: number, bytes: number): string {
  return code.toString(16).padStart(bytes * 2, '0');
}

/** Rounds away float noise from scaled integers (e.g. 308 / 10 -> 30.8, not 30.800000000000001). */
export function scaled(raw: number, divisor: number): number {
  return Number((raw / divisor).toFixed(6));
}

/** `raw · 10^exponent`, dividing for negative exponents so that 2013060 · 10⁻³ is exactly 2013.06. */
export function decimalShift(raw: number, exponent: number): number {
  return exponent >= 0 ? raw * 10 ** exponent : raw / 10 ** -exponent;
}

/** A metric and its value as decoded; booleans become 1/0, absent values are skipped. */
export type MetricPair = readonly [MetricName, number | boolean | undefined | null];

/** Collects metrics from a decoded object, skipping absent or non-finite values. */
export function metricsFrom(pairs: readonly MetricPair[]): MetricValue[] {
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

/** `distance` and `fill_level` from an ultrasonic distance in mm, using the object's bin depth. */
export function fillFromDistance(distanceMm: number | undefined, ctx: NormaliseContext): MetricPair[] {
  if (distanceMm === undefined) return [];
  return [
    ['distance', distanceMm],
    ['fill_level', distanceToFill(distanceMm, ctx.binDepthMm)],
  ];
}

/**
 * Approximate charge % from a battery voltage, for devices that report volts, not percent.
 * Linear between `emptyV` and `fullV`, clamped. The defaults fit the 3.6 V lithium
 * (Li-SOCl2) cells these sensors run on: their discharge curve is flat until near the end, so
 * the figure is coarse, but it falls steadily enough to rank devices for battery rounds.
 */
export function batteryPercent(volts: number, emptyV = 3.0, fullV = 3.6): number {
  const pct = ((volts - emptyV) / (fullV - emptyV)) * 100;
  return Math.round(Math.min(100, Math.max(0, pct)));
}

/** `battery` and `battery_voltage` metrics from a voltage, or nothing when none was reported. */
export function batteryFromVolts(volts: number | undefined): MetricPair[] {
  return [
    ['battery', volts === undefined ? undefined : batteryPercent(volts)],
    ['battery_voltage', volts],
  ];
}
