import type { Codec } from '../../contract/codec.ts';
import { type ByteReader, hexKey } from '../byte-reader.ts';
import { scaled } from '../decimals.ts';
import { type CodecSpec, defineCodec } from '../define-codec.ts';
import { walkRecords } from '../record-walk.ts';

/** Fields of Elsys's generic payload; every Elsys sensor sends the subset its hardware has. */
export interface ElsysData {
  temperature?: number;
  humidity?: number;
  x?: number;
  y?: number;
  z?: number;
  /** lux */
  light?: number;
  motion?: number;
  co2?: number;
  /** mV */
  vdd?: number;
  analog1?: number;
  lat?: number;
  long?: number;
  /** Pulses since the previous uplink. */
  pulse1?: number;
  /** Cumulative pulses. */
  pulseAbs?: number;
  externalTemperature?: number;
  digital?: number;
  distance?: number;
  accMotion?: number;
  irInternalTemperature?: number;
  irExternalTemperature?: number;
  occupancy?: number;
  waterleak?: number;
  /** hPa */
  pressure?: number;
  soundPeak?: number;
  soundAvg?: number;
  pulse2?: number;
  pulseAbs2?: number;
  analog2?: number;
  digital2?: number;
  tvoc?: number;
}

type Field = keyof ElsysData;
type TypeReader = (r: ByteReader, out: Record<string, unknown>) => void;

const one =
  (field: Field, read: (r: ByteReader) => number): TypeReader =>
  (r, out) => {
    out[field] = read(r);
  };
const tenths = (r: ByteReader) => scaled(r.i16be(), 10);
const u8 = (r: ByteReader) => r.u8();
const u16 = (r: ByteReader) => r.u16be();
const u32 = (r: ByteReader) => r.u32be();

/**
 * Type byte -> value, big-endian, from Elsys's published payload description. Types the city
 * has no use for and that are large (Grideye frames) or ambiguous are left out; the walk stops there.
 */
const TYPES: Record<string, TypeReader> = {
  '01': one('temperature', tenths),
  '02': one('humidity', u8),
  '03': (r, out) => {
    out.x = r.i8();
    out.y = r.i8();
    out.z = r.i8();
  },
  '04': one('light', u16),
  '05': one('motion', u8),
  '06': one('co2', u16),
  '07': one('vdd', u16),
  '08': one('analog1', u16),
  '09': (r, out) => {
    out.lat = r.u24be();
    out.long = r.u24be();
  },
  '0a': one('pulse1', u16),
  '0b': one('pulseAbs', u32),
  '0c': one('externalTemperature', tenths),
  '0d': one('digital', u8),
  '0e': one('distance', u16),
  '0f': one('accMotion', u8),
  '10': (r, out) => {
    out.irInternalTemperature = tenths(r);
    out.irExternalTemperature = tenths(r);
  },
  '11': one('occupancy', u8),
  '12': one('waterleak', u8),
  '14': one('pressure', (r) => r.u32be() / 1000),
  '15': (r, out) => {
    out.soundPeak = r.u8();
    out.soundAvg = r.u8();
  },
  '16': one('pulse2', u16),
  '17': one('pulseAbs2', u32),
  '18': one('analog2', u16),
  '1a': one('digital2', u8),
  '1c': one('tvoc', u16),
};

/** `[type][value]` records; a repeated type overwrites the earlier value, as in Elsys's decoder. */
export function decodeElsys(bytes: Uint8Array, warnings: string[]): ElsysData {
  return walkRecords(bytes, warnings, (r, out) => {
    const type = r.u8();
    const read = TYPES[hexKey(type, 1)];
    if (!read) return `unknown type 0x${hexKey(type, 1)}`;
    read(r, out);
    return undefined;
  }) as ElsysData;
}

export function elsysCodec(spec: Omit<CodecSpec<ElsysData>, 'vendor' | 'decode'>): Codec<ElsysData> {
  return defineCodec({ ...spec, vendor: 'Elsys', decode: decodeElsys });
}

/** Elsys reports its supply in mV. */
export function vddVolts(data: ElsysData): number | undefined {
  return data.vdd === undefined ? undefined : data.vdd / 1000;
}
