import { ByteReader, hex, hexKey, PayloadError } from '../byte-reader.ts';
import { defineCodec } from '../define-codec.ts';
import { batteryFromVolts, fillFromDistance, metricsFrom } from '../normalise.ts';

interface WilsenData {
  /** The whole payload as upper-case hex, as the vendor's decoder echoes it. */
  payload: string;
  /** cm */
  proxx?: number;
  /** mm */
  proxx_mm?: number;
  /** % */
  fillinglvl?: number;
  amplitude?: number;
  /** °C */
  temp?: number;
  /** V */
  battery_vol?: number;
  latitude?: number;
  longitude?: number;
  serial_nr?: string;
  lora_count?: number;
  gps_count?: number;
  us_sensor_count?: number;
}

type ValueReader = (r: ByteReader) => number | string;

const ascii =
  (n: number): ValueReader =>
  (r) => {
    const bytes = r.bytesOf(n);
    const end = bytes.indexOf(0);
    return String.fromCharCode(...(end === -1 ? bytes : bytes.subarray(0, end)));
  };

/** Record type (u16) -> field and value; the vendor rounds temperature to 0.1 and coordinates to 1e-6. */
const RECORDS: Record<string, readonly [keyof WilsenData, ValueReader]> = {
  '0b01': ['proxx', (r) => r.u16be()],
  '0b02': ['proxx_mm', (r) => r.u16be()],
  '0b06': ['fillinglvl', (r) => r.u8()],
  '0b07': ['amplitude', (r) => r.u8()],
  '0201': ['temp', (r) => Number(r.f32be().toFixed(1))],
  '5101': ['battery_vol', (r) => r.u8() / 10],
  '5001': ['latitude', (r) => Number((r.i32be() / 1e6).toFixed(6))],
  '5002': ['longitude', (r) => Number((r.i32be() / 1e6).toFixed(6))],
  '2a25': ['serial_nr', ascii(14)],
  '3101': ['lora_count', (r) => r.u16be()],
  '3102': ['gps_count', (r) => r.u16be()],
  '3103': ['us_sensor_count', (r) => r.u32be()],
};

/**
 * Records are `[len][type u16 BE][value]` with `len` counting type and value, so an unknown
 * type can be stepped over, unlike in the vendors whose records carry no length.
 */
function decode(bytes: Uint8Array, warnings: string[]): WilsenData {
  if (bytes.length === 0) throw new PayloadError('empty payload');
  const out: Record<string, unknown> = { payload: hex(bytes).toUpperCase() };
  const r = new ByteReader(bytes);
  while (r.remaining > 0) {
    const at = r.position;
    const len = r.u8();
    if (len < 2) throw new PayloadError(`record length ${len} at offset ${at} is shorter than its type`);
    const record = new ByteReader(r.bytesOf(len));
    const type = record.u16be();
    const known = RECORDS[hexKey(type, 2)];
    if (!known) {
      warnings.push(`unknown record type 0x${hexKey(type, 2)} at offset ${at} skipped`);
      continue;
    }
    const [field, read] = known;
    out[field] = read(record);
  }
  return out as unknown as WilsenData;
}

export const wilsenSonicLevel = defineCodec<WilsenData>({
  model: 'pepperl-fuchs/wilsen-sonic-level',
  vendor: 'Pepperl+Fuchs',
  name: 'WILSEN.sonic.level ultrasonic fill-level sensor',
  class: 'bin',
  metrics: ['fill_level', 'distance', 'temperature', 'battery', 'battery_voltage'],
  decode,
  toMetrics: (data, ctx) => {
    const distanceMm = data.proxx_mm ?? (data.proxx === undefined ? undefined : data.proxx * 10);
    return metricsFrom([
      // The sensor's own fill level uses the empty and full distances configured on it: prefer it.
      ...(data.fillinglvl === undefined
        ? fillFromDistance(distanceMm, ctx)
        : ([
            ['fill_level', data.fillinglvl],
            ['distance', distanceMm],
          ] as const)),
      ['temperature', data.temp],
      ...batteryFromVolts(data.battery_vol),
    ]);
  },
});
