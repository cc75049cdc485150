import { ByteReader, bitsLE, PayloadError } from '../byte-reader.ts';
import { defineCodec } from '../define-codec.ts';
import { metricsFrom } from '../normalise.ts';

const FRAME_LENGTH = 51;
const FRAME_VERSION = 1;
const HOURS = 23;
const DELTA_BITS = 14;
const DELTAS_FROM_BYTE = 10;

interface QalcosonicData {
  payload_format: 'AXIOMA_W1_ENHANCED_24H';
  frame_version: number;
  payload_bytes: number;
  timestamp_unix: number;
  timestamp_utc: string;
  status: number;
  low_battery: boolean;
  permanent_error: boolean;
  temporary_error: boolean;
  pipe_empty: boolean;
  backflow: boolean;
  burst: boolean;
  leakage: boolean;
  low_temperature: boolean;
  log_volume_m3: number;
  /** delta_1_m3 ... delta_23_m3: hourly consumption after the log volume, oldest first. */
  [delta: `delta_${number}_m3`]: number;
  history_count: number;
  history_total_m3: number;
  current_volume_m3: number;
  history_multiplier: number;
}

/**
 * Axioma's status byte: bits 2-4 flag low battery, permanent and temporary error; the upper
 * bits form codes (0x20 leakage, 0x60 backflow, 0xA0 burst, 0x80 low temperature), and a
 * temporary error alone means an empty pipe. Matches the TTN repository's W1 decoder.
 */
function statusFlags(status: number) {
  const backflow = (status & 0x60) === 0x60;
  const burst = (status & 0xa0) === 0xa0;
  return {
    low_battery: (status & 0x04) !== 0,
    permanent_error: (status & 0x08) !== 0,
    temporary_error: (status & 0x10) !== 0,
    pipe_empty: status === 0x10,
    backflow,
    burst,
    leakage: (status & 0x20) !== 0 && !backflow && !burst,
    low_temperature: (status & 0x80) !== 0 && !burst,
  };
}

function decode(bytes: Uint8Array, warnings: string[]): QalcosonicData {
  if (bytes.length !== FRAME_LENGTH)
    throw new PayloadError(`unsupported payload length ${bytes.length}, expected ${FRAME_LENGTH}`);
  const r = new ByteReader(bytes);
  const frameVersion = r.u8();
  if (frameVersion !== FRAME_VERSION)
    throw new PayloadError(`unsupported frame version 0x${frameVersion.toString(16)}`);
  const timestamp = r.u32le();
  const status = r.u8();
  const logLitres = r.u32le();
  const deltas = Array.from({ length: HOURS }, (_, i) =>
    bitsLE(bytes, DELTAS_FROM_BYTE * 8 + i * DELTA_BITS, DELTA_BITS),
  );
  const totalLitres = deltas.reduce((a, b) => a + b, 0);
  const multiplier = bitsLE(bytes, DELTAS_FROM_BYTE * 8 + HOURS * DELTA_BITS, 6);
  if (multiplier !== 0) warnings.push(`history multiplier ${multiplier}: hourly deltas may need further scaling`);
  return {
    payload_format: 'AXIOMA_W1_ENHANCED_24H',
    frame_version: frameVersion,
    payload_bytes: bytes.length,
    timestamp_unix: timestamp,
    timestamp_utc: new Date(timestamp * 1000).toISOString(),
    status,
    ...statusFlags(status),
    log_volume_m3: logLitres / 1000,
    ...Object.fromEntries(deltas.map((litres, i) => [`delta_${i + 1}_m3`, litres / 1000])),
    history_count: HOURS,
    history_total_m3: totalLitres / 1000,
    current_volume_m3: (logLitres + totalLitres) / 1000,
    history_multiplier: multiplier,
  };
}

export const qalcosonicW1 = defineCodec<QalcosonicData>({
  model: 'axioma/qalcosonic-w1',
  vendor: 'Axioma Metering',
  name: 'Qalcosonic W1 ultrasonic water meter',
  class: 'meter',
  metrics: ['volume', 'flow', 'leak', 'backflow', 'burst', 'tamper'],
  fPorts: [100],
  decode,
  toMetrics: (data) =>
    metricsFrom([
      ['volume', data.current_volume_m3],
      // The newest hour's consumption, in m³ over one hour, is the mean flow of that hour.
      ['flow', data[`delta_${HOURS}_m3`]],
      ['leak', data.leakage],
      ['backflow', data.backflow],
      ['burst', data.burst],
      ['tamper', data.permanent_error],
    ]),
});
