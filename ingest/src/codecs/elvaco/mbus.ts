import type { Codec } from '../../contract/codec.ts';
import { ByteReader, hex, PayloadError } from '../byte-reader.ts';
import { decimalShift, scaled } from '../decimals.ts';
import { type CodecSpec, defineCodec } from '../define-codec.ts';
import { metricsFrom } from '../normalise.ts';

/** One M-Bus (EN 13757-3) data record: its header bytes and raw little-endian value. */
export interface MbusRecord {
  dif: number;
  difes: number[];
  vif: number;
  /** VIF extensions; after an `FD`/`FB` VIF the first one is the code in that extension table. */
  vifes: number[];
  data: Uint8Array;
}

/** Value length by the DIF's data-field code; `undefined` marks codes with no fixed length. */
const DATA_LENGTH: Array<number | undefined> = [0, 1, 2, 3, 4, 4, 6, 8, 0, 1, 2, 3, 4, undefined, 6, undefined];

const IDLE_FILLER = 0x2f;
const EXTENSION = 0x80;

/** Extension bytes follow while the previous byte has its top bit set. */
function extensions(r: ByteReader, first: number): number[] {
  const out: number[] = [];
  let last = first;
  while (last & EXTENSION) {
    last = r.u8();
    out.push(last);
  }
  return out;
}

/** Records up to the end, or up to data that cannot be framed (variable-length, manufacturer-specific). */
export function parseRecords(bytes: Uint8Array, warnings: string[]): MbusRecord[] {
  const r = new ByteReader(bytes);
  const records: MbusRecord[] = [];
  while (r.remaining > 0) {
    const dif = r.u8();
    if (dif === IDLE_FILLER) continue;
    const length = DATA_LENGTH[dif & 0x0f];
    if (length === undefined) {
      warnings.push(
        `M-Bus DIF 0x${dif.toString(16)}: ${r.remaining + 1} byte(s) from record offset ${r.position - 1} not decoded`,
      );
      break;
    }
    const difes = extensions(r, dif);
    const vif = r.u8();
    const vifes = extensions(r, vif);
    records.push({ dif, difes, vif, vifes, data: r.bytesOf(length) });
  }
  return records;
}

function littleEndianUnsigned(data: Uint8Array): number {
  return data.reduceRight((acc, byte) => acc * 256 + byte, 0);
}

/** Packed BCD, least-significant byte first; an F in the top digit marks a negative value. */
function bcd(data: Uint8Array): number {
  const digits = hex(data.slice().reverse());
  const negative = digits.startsWith('f');
  const body = negative ? digits.slice(1) : digits;
  if (!/^[0-9]*$/.test(body)) throw new PayloadError(`invalid BCD value 0x${digits}`);
  const value = Number(body);
  return negative ? -value : value;
}

/**
 * The record's numeric value by its DIF data-field code (integer, real or BCD). Integers are
 * read unsigned, as Elvaco's own decoders do: a heat meter's counters, power and flow are not
 * negative, and a 16-bit power in W reaches 65 kW only when read so.
 */
export function numericValue(record: MbusRecord): number {
  const code = record.dif & 0x0f;
  if (code === 0x05) return new DataView(record.data.buffer, record.data.byteOffset, 4).getFloat32(0, true);
  if (code >= 0x09) return bcd(record.data);
  return littleEndianUnsigned(record.data);
}

const FUNCTION_ERROR = 0x30;
const VIF_EXTENSION_FD = 0xfd;
const VIFE_ERROR_FLAGS = 0x17;
const VIF_FABRICATION_NO = 0x78;
const VIF_ENHANCED_ID = 0x79;

/** Names the heat-meter fields differently per model, as each vendor decoder does. */
export interface HeatFieldNames {
  flowTemperature: 'flow_temperature' | 'forward_temperature';
  serial: 'serial' | 'serial_from_message';
}

export interface HeatMeterData {
  /** kWh */
  energy?: number;
  /** m³ */
  volume?: number;
  /** kW */
  power?: number;
  /** m³/h */
  flow?: number;
  /** °C */
  flow_temperature?: number;
  forward_temperature?: number;
  return_temperature?: number;
  serial?: number;
  serial_from_message?: number;
  error_flag?: number;
}

/**
 * Field and scaled value for a current-value record, from the primary VIF table:
 * the low bits give the power of ten, converted here to the units the vendors report.
 */
function heatField(record: MbusRecord, names: HeatFieldNames): readonly [keyof HeatMeterData, number] | undefined {
  const { vif, vifes, data } = record;
  if (vif === VIF_EXTENSION_FD && vifes.length === 1 && vifes[0] === VIFE_ERROR_FLAGS) {
    return ['error_flag', littleEndianUnsigned(data)];
  }
  if (vifes.length > 0) return undefined;
  const n = vif & 0x07;
  const value = () => numericValue(record);
  if ((vif & 0x78) === 0x00) return ['energy', decimalShift(value(), n - 6)]; // Wh·10^(n-3) -> kWh
  if ((vif & 0x78) === 0x10) return ['volume', decimalShift(value(), n - 6)]; // m³
  if ((vif & 0x78) === 0x28) return ['power', decimalShift(value(), n - 6)]; // W·10^(n-3) -> kW
  if ((vif & 0x78) === 0x38) return ['flow', decimalShift(value(), n - 6)]; // m³/h
  if ((vif & 0x7c) === 0x58) return [names.flowTemperature, decimalShift(value(), (vif & 0x03) - 3)];
  if ((vif & 0x7c) === 0x5c) return ['return_temperature', decimalShift(value(), (vif & 0x03) - 3)];
  if (vif === VIF_FABRICATION_NO) return [names.serial, value()];
  // Elvaco's enhanced identification: the meter id (8 BCD digits), then manufacturer, version, medium.
  if (vif === VIF_ENHANCED_ID && data.length === 8) return [names.serial, bcd(data.subarray(0, 4))];
  return undefined;
}

/**
 * Elvaco CMi41x0 uplinks: a message-format byte, then M-Bus records. Current values (no tariff,
 * storage 0) become fields; historic, tariff and error-state values and unknown units are
 * reported as skipped, since their lengths are known from the DIF and the rest still decodes.
 */
export function decodeHeatMeter(bytes: Uint8Array, warnings: string[], names: HeatFieldNames): HeatMeterData {
  const r = new ByteReader(bytes);
  r.u8();
  const out: HeatMeterData = {};
  for (const record of parseRecords(r.rest(), warnings)) {
    const header = hex(Uint8Array.of(record.dif, ...record.difes, record.vif, ...record.vifes));
    const current = record.difes.length === 0 && !(record.dif & 0x40) && (record.dif & 0x30) !== FUNCTION_ERROR;
    let field: ReturnType<typeof heatField>;
    try {
      field = current ? heatField(record, names) : undefined;
    } catch (err) {
      // A corrupt value (invalid BCD) loses its record only.
      if (!(err instanceof PayloadError)) throw err;
      warnings.push(`M-Bus record ${header} skipped: ${err.message}`);
      continue;
    }
    if (field) out[field[0]] = field[1];
    else warnings.push(`M-Bus record ${header} skipped`);
  }
  return out;
}

export function elvacoCodec(
  spec: Omit<CodecSpec<HeatMeterData>, 'vendor' | 'decode' | 'fPorts' | 'toMetrics'> & { names: HeatFieldNames },
): Codec<HeatMeterData> {
  const { names, ...rest } = spec;
  return defineCodec<HeatMeterData>({
    ...rest,
    vendor: 'Elvaco',
    fPorts: [2],
    decode: (bytes, warnings) => decodeHeatMeter(bytes, warnings, names),
    toMetrics: (data) =>
      metricsFrom([
        ['energy', data.energy],
        ['volume', data.volume],
        ['power', data.power === undefined ? undefined : scaled(data.power * 1000, 1)],
        ['flow', data.flow],
        ['flow_temperature', data[names.flowTemperature]],
        ['return_temperature', data.return_temperature],
        // Any error flag from the meter (sensor fault, tamper, low battery) is a meter fault.
        ['tamper', data.error_flag === undefined ? undefined : data.error_flag !== 0],
      ]),
  });
}

export const HEAT_METER_METRICS = [
  'energy',
  'volume',
  'power',
  'flow',
  'flow_temperature',
  'return_temperature',
  'tamper',
] as const;
