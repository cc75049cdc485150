import type { Encoder } from '../encoder.ts';
import { scale } from '../writer.ts';
import { ELVACO_FPORT, MbusWriter, VIF_ERROR_FLAGS } from './mbus.ts';

/** Heat meter reading from a Diehl Sharky 775 behind a CMi4160. All fields are always sent. */
export interface Cmi4160Values {
  /** kWh */
  energy: number;
  /** m³, 0.001 steps (sent in litres) */
  volume: number;
  /** kW, 0.001 steps (sent in W) */
  power: number;
  /** m³/h, 0.001 steps (sent in L/h) */
  flow: number;
  /** °C, 0.1 steps */
  flow_temperature: number;
  return_temperature: number;
  /** meter serial, 8 digits */
  serial: number;
  error_flag: number;
}

/** The CMi4160 "standard" message format. */
const STANDARD_FORMAT = 0x1e;
/** Diehl's M-Bus manufacturer code, meter generation and medium (heat) in the enhanced id. */
const DIEHL = 0x11a5;
const METER_VERSION = 0x40;
const MEDIUM_HEAT = 0x04;

export const cmi4160: Encoder<Cmi4160Values> = {
  model: 'elvaco/cmi4160',
  fPort: ELVACO_FPORT,
  encode: (v) => {
    const w = new MbusWriter()
      .u8(STANDARD_FORMAT)
      .integer(0x04, [0x06], v.energy)
      .integer(0x04, [0x13], scale(v.volume, 1000))
      .integer(0x02, [0x2b], scale(v.power, 1000))
      .integer(0x02, [0x3b], scale(v.flow, 1000))
      .integer(0x02, [0x5a], scale(v.flow_temperature, 10))
      .integer(0x02, [0x5e], scale(v.return_temperature, 10));
    // Enhanced identification (DIF 0x07 = 8 bytes): serial in BCD, manufacturer, version, medium.
    w.u8(0x07).u8(0x79).bcdLe(v.serial, 4).u16le(DIEHL).u8(METER_VERSION).u8(MEDIUM_HEAT);
    return w.integer(0x01, VIF_ERROR_FLAGS, v.error_flag).toBytes();
  },
  randomValues: (rng) => {
    const flowTemperature = rng.decimal(40, 95, 1);
    return {
      energy: rng.int(0, 2_000_000),
      volume: rng.decimal(0, 100_000, 3),
      power: rng.decimal(0, 60, 3),
      flow: rng.decimal(0, 5, 3),
      flow_temperature: flowTemperature,
      return_temperature: rng.decimal(20, flowTemperature, 1),
      serial: rng.int(10_000_000, 99_999_999),
      error_flag: rng.chance(0.9) ? 0 : rng.int(1, 0xff),
    };
  },
};
