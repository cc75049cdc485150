import type { Codec } from '../../contract/codec.ts';
import { ByteReader, PayloadError } from '../byte-reader.ts';
import { type CodecSpec, defineCodec } from '../define-codec.ts';

/** One decoded measurement, shaped as Decentlab's own decoders return it. */
export interface Measurement {
  displayName: string;
  unit?: string;
  value: number;
}

export interface MeasurementSpec {
  name: string;
  displayName: string;
  unit?: string;
  convert: (x: readonly number[]) => number;
}

/** A sensor's group of u16 words, present when its flag bit is set. */
export interface SensorGroup {
  words: number;
  values: readonly MeasurementSpec[];
}

export type DecentlabData = { protocol_version: number; device_id: number } & {
  [name: string]: Measurement | number;
};

/** `x[index] / divisor`, the conversion most Decentlab values use. */
export const word =
  (index: number, divisor = 1) =>
  (x: readonly number[]): number =>
    (x[index] ?? Number.NaN) / divisor;

const PROTOCOL_VERSION = 2;

/**
 * Decentlab protocol v2: version, device id, a flags word, then for each set flag (bit 0
 * first) its sensor group's u16 BE words.
 */
export function decodeDecentlab(bytes: Uint8Array, sensors: readonly SensorGroup[]): DecentlabData {
  const r = new ByteReader(bytes);
  const version = r.u8();
  if (version !== PROTOCOL_VERSION) throw new PayloadError(`protocol version ${version} doesn't match v2`);
  const out: DecentlabData = { protocol_version: version, device_id: r.u16be() };
  const flags = r.u16be();
  sensors.forEach((sensor, bit) => {
    if (!((flags >> bit) & 1)) return;
    const x = Array.from({ length: sensor.words }, () => r.u16be());
    for (const v of sensor.values) {
      out[v.name] = {
        displayName: v.displayName,
        ...(v.unit === undefined ? {} : { unit: v.unit }),
        value: v.convert(x),
      };
    }
  });
  return out;
}

/** The value of a measurement, if this uplink carried it. */
export function measured(data: DecentlabData, name: string): number | undefined {
  const m = data[name];
  return typeof m === 'object' ? m.value : undefined;
}

export function decentlabCodec(
  spec: Omit<CodecSpec<DecentlabData>, 'vendor' | 'decode'> & { sensors: readonly SensorGroup[] },
): Codec<DecentlabData> {
  const { sensors, ...rest } = spec;
  return defineCodec({ ...rest, vendor: 'Decentlab', decode: (bytes) => decodeDecentlab(bytes, sensors) });
}

export const BATTERY_GROUP: SensorGroup = {
  words: 1,
  values: [{ name: 'battery_voltage', displayName: 'Battery voltage', unit: 'V', convert: word(0, 1000) }],
};
