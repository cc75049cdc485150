import type { Codec, DownlinkFrame } from '../../contract/codec.ts';
import { type ByteReader, hex, hexKey, PayloadError } from '../byte-reader.ts';
import { scaled } from '../decimals.ts';
import { type CodecSpec, defineCodec } from '../define-codec.ts';
import { walkRecords } from '../record-walk.ts';

/** Reads one Milesight value once its channel and type bytes are known. */
export type ChannelReader = (r: ByteReader, out: Record<string, unknown>) => void;

/** Milesight sends and listens on one application port. */
export const MILESIGHT_FPORT = 85;

/**
 * Milesight payloads are repeated `[channel][type][value]` records, values little-endian.
 * Each model lists the (channel, type) pairs it knows, keyed as hex, e.g. `'0175'`.
 */
export function decodeChannels(
  bytes: Uint8Array,
  readers: Record<string, ChannelReader>,
  warnings: string[],
): Record<string, unknown> {
  return walkRecords(bytes, warnings, (r, out) => {
    const channel = r.u8();
    const type = r.u8();
    const read = readers[hexKey((channel << 8) | type, 2)];
    if (!read) return `unknown channel 0x${hexKey(channel, 1)} type 0x${hexKey(type, 1)}`;
    read(r, out);
    return undefined;
  });
}

export const u8Field =
  (field: string, divisor = 1): ChannelReader =>
  (r, out) => {
    out[field] = scaled(r.u8(), divisor);
  };
export const u16Field =
  (field: string, divisor = 1): ChannelReader =>
  (r, out) => {
    out[field] = scaled(r.u16le(), divisor);
  };
export const i16Field =
  (field: string, divisor = 1): ChannelReader =>
  (r, out) => {
    out[field] = scaled(r.i16le(), divisor);
  };
export const u32Field =
  (field: string): ChannelReader =>
  (r, out) => {
    out[field] = r.u32le();
  };
/** A one-byte state the vendor reports as words: 1 is `whenOne`, anything else `otherwise`. */
export const flagField =
  (field: string, whenOne: string, otherwise: string): ChannelReader =>
  (r, out) => {
    out[field] = r.u8() === 1 ? whenOne : otherwise;
  };

export const battery = u8Field('battery');
export const temperature = i16Field('temperature', 10);
export const humidity = u8Field('humidity', 2);
export const voltage = u16Field('voltage', 10);

const versionReader =
  (field: string, format: (a: number, b: number) => string): ChannelReader =>
  (r, out) => {
    const a = r.u8();
    out[field] = format(a, r.u8());
  };

/**
 * Attribute records every Milesight device sends after joining or on request (formats from
 * Milesight's public decoders), so a model's first uplink decodes instead of failing.
 */
const DEVICE_INFO: Record<string, ChannelReader> = {
  ff01: (r, out) => {
    const v = r.u8();
    out.ipso_version = `v${v >> 4}.${v & 0x0f}`;
  },
  ff09: versionReader('hardware_version', (a, b) => `v${a.toString(16)}.${b >> 4}`),
  ff0a: versionReader('firmware_version', (a, b) => `v${a.toString(16)}.${b.toString(16)}`),
  ffff: versionReader('tsl_version', (a, b) => `v${a}.${b}`),
  ff0b: (r, out) => {
    r.u8();
    out.device_status = 'on';
  },
  ff0f: (r, out) => {
    out.lorawan_class = ['Class A', 'Class B', 'Class C', 'Class CtoB'][r.u8()] ?? 'unknown';
  },
  ff16: (r, out) => {
    out.sn = hex(r.bytesOf(8));
  },
  fffe: (r, out) => {
    r.u8();
    out.reset_event = 'reset';
  },
};

export interface MilesightSpec<T extends object> extends Omit<CodecSpec<T>, 'vendor' | 'fPorts' | 'decode'> {
  channels: Record<string, ChannelReader>;
}

export function milesightCodec<T extends object>(spec: MilesightSpec<T>): Codec<T> {
  const { channels, ...rest } = spec;
  const readers = { ...DEVICE_INFO, ...channels };
  return defineCodec<T>({
    ...rest,
    vendor: 'Milesight',
    fPorts: [MILESIGHT_FPORT],
    decode: (bytes, warnings) => decodeChannels(bytes, readers, warnings) as T,
  });
}

/** `FF 03` + u16 LE seconds: the report-interval command of Milesight's sensors and controllers. */
export function reportIntervalFrame(seconds: number, min: number, max: number): DownlinkFrame {
  if (!Number.isInteger(seconds) || seconds < min || seconds > max) {
    throw new PayloadError(`report interval must be a whole number of seconds in [${min}, ${max}], got ${seconds}`);
  }
  return { fPort: MILESIGHT_FPORT, bytes: Uint8Array.of(0xff, 0x03, seconds & 0xff, seconds >> 8) };
}
