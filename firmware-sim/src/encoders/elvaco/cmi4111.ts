import type { Encoder } from '../encoder.ts';
import { scale } from '../writer.ts';
import { ELVACO_FPORT, MbusWriter, VIF_ERROR_FLAGS } from './mbus.ts';

/** Heat meter reading from a Kamstrup/Landis meter behind a CMi4111. All fields are always sent. */
export interface Cmi4111Values {
  /** kWh */
  energy: number;
  /** m³, 0.01 steps */
  volume: number;
  /** kW, 0.1 steps (sent in units of 100 W) */
  power: number;
  /** m³/h, 0.001 steps (sent in L/h) */
  flow: number;
  /** °C, 0.1 steps */
  forward_temperature: number;
  return_temperature: number;
  /** the meter's fabrication number, 8 digits */
  serial_from_message: number;
  error_flag: number;
}

/** The CMi4111 "standard" message format. */
const STANDARD_FORMAT = 0x05;

export const cmi4111: Encoder<Cmi4111Values> = {
  model: 'elvaco/cmi4111',
  fPort: ELVACO_FPORT,
  encode: (v) =>
    new MbusWriter()
      .u8(STANDARD_FORMAT)
      .integer(0x04, [0x06], v.energy)
      .integer(0x04, [0x14], scale(v.volume, 100))
      .integer(0x02, [0x2d], scale(v.power, 10))
      .integer(0x02, [0x3b], scale(v.flow, 1000))
      .integer(0x02, [0x5a], scale(v.forward_temperature, 10))
      .integer(0x02, [0x5e], scale(v.return_temperature, 10))
      .bcd8(0x78, v.serial_from_message)
      .integer(0x04, VIF_ERROR_FLAGS, v.error_flag)
      .toBytes(),
  randomValues: (rng) => {
    const forward = rng.decimal(40, 95, 1);
    return {
      energy: rng.int(0, 2_000_000),
      volume: rng.decimal(0, 100_000, 2),
      power: rng.decimal(0, 600, 1),
      flow: rng.decimal(0, 5, 3),
      forward_temperature: forward,
      return_temperature: rng.decimal(20, forward, 1),
      serial_from_message: rng.int(10_000_000, 99_999_999),
      error_flag: rng.chance(0.9) ? 0 : rng.int(1, 0xffffff),
    };
  },
};
