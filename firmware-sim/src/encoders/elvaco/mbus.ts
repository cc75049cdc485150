import { ByteWriter } from '../writer.ts';

/** Elvaco CMi modules forward the meter's M-Bus records on this port. */
export const ELVACO_FPORT = 2;

/** Data field length by DIF for the integer codings these meters use. */
const INTEGER_BYTES: Record<number, number> = { 1: 1, 2: 2, 3: 3, 4: 4 };

/**
 * M-Bus data records, little-endian. Each record is DIF, VIF (plus extension bytes), then the
 * value, so a decoder can walk them without knowing the meter.
 */
export class MbusWriter extends ByteWriter {
  integer(dif: number, vif: readonly number[], value: number): this {
    const n = INTEGER_BYTES[dif];
    if (n === undefined) throw new RangeError(`DIF 0x${dif.toString(16)} is not an integer coding`);
    this.u8(dif);
    for (const byte of vif) this.u8(byte);
    return this.uintLe(value, n);
  }

  /** DIF 0x0C: eight BCD digits. */
  bcd8(vif: number, value: number): this {
    return this.u8(0x0c).u8(vif).bcdLe(value, 4);
  }
}

/** VIFE 0x17 after 0xFD: the meter's error flags. */
export const VIF_ERROR_FLAGS = [0xfd, 0x17] as const;
