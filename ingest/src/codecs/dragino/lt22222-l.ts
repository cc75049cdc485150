import { ByteReader, PayloadError } from '../byte-reader.ts';
import { scaled } from '../decimals.ts';
import { defineCodec } from '../define-codec.ts';
import { metricsFrom } from '../normalise.ts';
import { DRAGINO_DATA_FPORT, expectLength } from './uplink.ts';

type HighLow = 'H' | 'L';

interface Lt22222Data {
  Hardware_mode?: 'LT33222' | 'LT22222';
  Work_mode: string;
  AVI1_V?: number;
  AVI2_V?: number;
  ACI1_mA?: number;
  ACI2_mA?: number;
  Count1_times?: number;
  Count2_times?: number;
  Acount_times?: number;
  First_status?: 'Yes' | 'No';
  DI1_status?: HighLow;
  DI2_status?: HighLow;
  DI3_status?: HighLow;
  DO1_status: HighLow;
  DO2_status: HighLow;
  DO3_status?: HighLow;
  RO1_status: 'ON' | 'OFF';
  RO2_status: 'ON' | 'OFF';
}

/** Work modes 1-5 as Dragino's decoder names them; mode 6 (trigger-event report) is not decoded. */
const WORK_MODES: Record<number, string> = {
  1: '2ACI+2AVI',
  2: 'Count mode 1',
  3: '2ACI+1Count',
  4: 'Count mode 2',
  5: '1ACI+2AVI+1Count',
};

const milli = (r: ByteReader) => scaled(r.i16be(), 1000);
const level = (set: boolean): HighLow => (set ? 'H' : 'L');

/**
 * 11 bytes: four i16 BE analog/counter words, the I/O byte (bit 7 RO1, 6 RO2, 5 DI3 or
 * first-status, 4 DI2, 3 DI1, 2 DO3, 1 DO2, 0 DO1), a reserved byte, then work mode (bits
 * 0-5) and hardware (bits 6-7). Outputs are open-drain: a set DO bit pulls the pin low.
 */
function decode(bytes: Uint8Array): Lt22222Data {
  expectLength(bytes, 11);
  const io = bytes[8] ?? 0;
  const modeByte = bytes[10] ?? 0;
  const mode = modeByte & 0x3f;
  const hardware = modeByte >> 6;
  const workMode = WORK_MODES[mode];
  if (!workMode) throw new PayloadError(`unsupported work mode ${mode}`);

  const out: Lt22222Data = {
    Work_mode: workMode,
    DO1_status: level(!(io & 0x01)),
    DO2_status: level(!(io & 0x02)),
    RO1_status: io & 0x80 ? 'ON' : 'OFF',
    RO2_status: io & 0x40 ? 'ON' : 'OFF',
  };
  if (hardware === 0) {
    out.Hardware_mode = 'LT33222';
    out.DO3_status = level(!(io & 0x04));
    if (mode === 1) out.DI3_status = level(Boolean(io & 0x20));
  } else if (hardware === 1) {
    out.Hardware_mode = 'LT22222';
  }

  const r = new ByteReader(bytes.subarray(0, 8));
  if (mode === 1) {
    out.AVI1_V = milli(r);
    out.AVI2_V = milli(r);
    out.ACI1_mA = milli(r);
    out.ACI2_mA = milli(r);
    out.DI1_status = level(Boolean(io & 0x08));
    out.DI2_status = level(Boolean(io & 0x10));
    return out;
  }
  out.First_status = io & 0x20 ? 'Yes' : 'No';
  if (mode === 5) {
    out.AVI1_V = milli(r);
    out.AVI2_V = milli(r);
    out.ACI1_mA = milli(r);
    out.Count1_times = r.u16be();
    return out;
  }
  out.Count1_times = r.u32be();
  if (mode === 2) out.Count2_times = r.u32be();
  else if (mode === 4) out.Acount_times = r.u32be();
  else {
    out.ACI1_mA = milli(r);
    out.ACI2_mA = milli(r);
  }
  return out;
}

export const lt22222L = defineCodec<Lt22222Data>({
  model: 'dragino/lt22222-l',
  vendor: 'Dragino',
  name: 'LT-22222-L LoRa I/O controller',
  class: 'io',
  metrics: ['digital_input', 'analog_input'],
  fPorts: [DRAGINO_DATA_FPORT],
  decode,
  toMetrics: (data) =>
    metricsFrom([
      // One value per metric name: the first input of each kind, in mV.
      ['digital_input', data.DI1_status === undefined ? undefined : data.DI1_status === 'H'],
      ['analog_input', data.AVI1_V === undefined ? undefined : Math.round(data.AVI1_V * 1000)],
    ]),
});
