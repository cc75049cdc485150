import type { Encoder } from '../encoder.ts';
import { ByteWriter, scale } from '../writer.ts';

type Level = 'H' | 'L';

interface Mode1Reading {
  Work_mode: '2ACI+2AVI';
  /** V, 0.001 steps (sent in mV) */
  AVI1_V: number;
  AVI2_V: number;
  /** mA, 0.001 steps (sent in µA) */
  ACI1_mA: number;
  ACI2_mA: number;
  RO1_status: 'ON' | 'OFF';
  RO2_status: 'ON' | 'OFF';
  DI1_status: Level;
  DI2_status: Level;
  DO1_status: Level;
  DO2_status: Level;
}

/** Mode 1 (two current and two voltage inputs); DI3 and DO3 exist on the LT33222 only. */
export type Lt22222LValues = Mode1Reading &
  ({ Hardware_mode: 'LT22222' } | { Hardware_mode: 'LT33222'; DI3_status: Level; DO3_status: Level });

const HARDWARE = { LT33222: 0, LT22222: 1 } as const;
const MODE_2ACI_2AVI = 1;
/** Byte 9 carries nothing in mode 1; the firmware fills it with 0xFF. */
const UNUSED = 0xff;

/** Digital outputs are open-drain: bit set = transistor on = line pulled low. */
const doBit = (level: Level) => (level === 'L' ? 1 : 0);
const diBit = (level: Level) => (level === 'H' ? 1 : 0);

export const lt22222L: Encoder<Lt22222LValues> = {
  model: 'dragino/lt22222-l',
  fPort: 2,
  encode: (v) => {
    const three = v.Hardware_mode === 'LT33222' ? v : undefined;
    const io =
      ((v.RO1_status === 'ON' ? 1 : 0) << 7) |
      ((v.RO2_status === 'ON' ? 1 : 0) << 6) |
      ((three ? diBit(three.DI3_status) : 0) << 5) |
      (diBit(v.DI2_status) << 4) |
      (diBit(v.DI1_status) << 3) |
      ((three ? doBit(three.DO3_status) : 0) << 2) |
      (doBit(v.DO2_status) << 1) |
      doBit(v.DO1_status);
    return new ByteWriter()
      .i16be(scale(v.AVI1_V, 1000))
      .i16be(scale(v.AVI2_V, 1000))
      .i16be(scale(v.ACI1_mA, 1000))
      .i16be(scale(v.ACI2_mA, 1000))
      .u8(io)
      .u8(UNUSED)
      .u8((HARDWARE[v.Hardware_mode] << 6) | MODE_2ACI_2AVI)
      .toBytes();
  },
  randomValues: (rng) => {
    const level = (): Level => (rng.chance(0.5) ? 'H' : 'L');
    const relay = () => (rng.chance(0.5) ? ('ON' as const) : ('OFF' as const));
    const reading: Mode1Reading = {
      Work_mode: '2ACI+2AVI',
      AVI1_V: rng.decimal(0, 30, 3),
      AVI2_V: rng.decimal(0, 30, 3),
      ACI1_mA: rng.decimal(0, 20, 3),
      ACI2_mA: rng.decimal(0, 20, 3),
      RO1_status: relay(),
      RO2_status: relay(),
      DI1_status: level(),
      DI2_status: level(),
      DO1_status: level(),
      DO2_status: level(),
    };
    return rng.chance(0.5)
      ? { ...reading, Hardware_mode: 'LT22222' }
      : { ...reading, Hardware_mode: 'LT33222', DI3_status: level(), DO3_status: level() };
  },
};
