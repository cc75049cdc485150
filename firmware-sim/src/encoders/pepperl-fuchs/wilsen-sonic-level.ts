import type { Encoder } from '../encoder.ts';
import { ascii, f32be, fieldsEncoder, i32be, scaled, u8, u16be, u32be, type ValueWriter } from '../fields.ts';
import { ByteWriter } from '../writer.ts';

export interface WilsenSonicLevelValues {
  /** cm; the sensor sends either this or `proxx_mm` */
  proxx?: number;
  proxx_mm?: number;
  /** % */
  fillinglvl?: number;
  /** °C, sent as float32; 0.1 steps here because that is the sensor's resolution */
  temp?: number;
  /** V, 0.1 steps */
  battery_vol?: number;
  /** degrees, 1e-6 steps */
  latitude?: number;
  longitude?: number;
  serial_nr?: string;
  lora_count?: number;
  gps_count?: number;
  us_sensor_count?: number;
}

/** `[len][type u16 BE][value]`, where len counts the type bytes and the value. */
function record<T>(type: number, write: ValueWriter<T>): ValueWriter<T> {
  return (w, v) => {
    const value = new ByteWriter();
    write(value, v);
    w.u8(2 + value.size)
      .u16be(type)
      .bytes(value.toBytes());
  };
}

export const wilsenSonicLevel: Encoder<WilsenSonicLevelValues> = {
  model: 'pepperl-fuchs/wilsen-sonic-level',
  fPort: 1,
  encode: fieldsEncoder<WilsenSonicLevelValues>({
    serial_nr: record(0x2a25, ascii),
    proxx: record(0x0b01, u16be),
    proxx_mm: record(0x0b02, u16be),
    fillinglvl: record(0x0b06, u8),
    temp: record(0x0201, f32be),
    lora_count: record(0x3101, u16be),
    gps_count: record(0x3102, u16be),
    us_sensor_count: record(0x3103, u32be),
    battery_vol: record(0x5101, scaled(10, u8)),
    latitude: record(0x5001, scaled(1e6, i32be)),
    longitude: record(0x5002, scaled(1e6, i32be)),
  }),
  // The sensor alternates measurement uplinks with identification uplinks (serial and counters).
  randomValues: (rng): WilsenSonicLevelValues => {
    const battery_vol = rng.decimal(2.8, 3.9, 1);
    if (rng.chance(0.2)) {
      return {
        serial_nr: String(rng.int(10_000_000, 99_999_999)).padStart(14, '0'),
        lora_count: rng.int(0, 0xffff),
        gps_count: rng.int(0, 0xffff),
        us_sensor_count: rng.int(0, 10_000_000),
        battery_vol,
      };
    }
    const distanceCm = rng.int(20, 600);
    const distance = rng.chance(0.5) ? { proxx: distanceCm } : { proxx_mm: distanceCm * 10 + rng.int(0, 9) };
    const location = rng.chance(0.3) ? { latitude: rng.decimal(44, 52, 6), longitude: rng.decimal(22, 40, 6) } : {};
    return { ...distance, fillinglvl: rng.int(0, 100), temp: rng.decimal(-25, 45, 1), battery_vol, ...location };
  },
};
