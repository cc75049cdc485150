/** Raised inside a decoder for a payload it cannot read; `safeDecode` turns it into `{errors}`. */
export class PayloadError extends Error {}

/** Bounds-checked cursor over a payload: reading past the end raises PayloadError, not garbage. */
export class ByteReader {
  private offset = 0;
  private readonly view: DataView;

  constructor(private readonly bytes: Uint8Array) {
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  get remaining(): number {
    return this.bytes.length - this.offset;
  }

  get position(): number {
    return this.offset;
  }

  private take(n: number): number {
    if (this.offset + n > this.bytes.length) {
      throw new PayloadError(`payload too short: need ${n} byte(s) at offset ${this.offset}, have ${this.remaining}`);
    }
    const at = this.offset;
    this.offset += n;
    return at;
  }

  u8(): number {
    return this.view.getUint8(this.take(1));
  }
  i8(): number {
    return this.view.getInt8(this.take(1));
  }
  u16le(): number {
    return this.view.getUint16(this.take(2), true);
  }
  i16le(): number {
    return this.view.getInt16(this.take(2), true);
  }
  u32le(): number {
    return this.view.getUint32(this.take(4), true);
  }
  u16be(): number {
    return this.view.getUint16(this.take(2), false);
  }
  i16be(): number {
    return this.view.getInt16(this.take(2), false);
  }
  u24be(): number {
    const at = this.take(3);
    return (this.view.getUint16(at, false) << 8) | this.view.getUint8(at + 2);
  }
  i24be(): number {
    const raw = this.u24be();
    return raw & 0x800000 ? raw - 0x1000000 : raw;
  }
  u32be(): number {
    return this.view.getUint32(this.take(4), false);
  }
  i32be(): number {
    return this.view.getInt32(this.take(4), false);
  }
  f32be(): number {
    return this.view.getFloat32(this.take(4), false);
  }
  bytesOf(n: number): Uint8Array {
    const at = this.take(n);
    return this.bytes.subarray(at, at + n);
  }
  /** Everything not read yet. */
  rest(): Uint8Array {
    return this.bytesOf(this.remaining);
  }
}

/** Reads `length` bits starting at bit `startBit`, least-significant bit of each byte first. */
export function bitsLE(bytes: Uint8Array, startBit: number, length: number): number {
  if (startBit + length > bytes.length * 8) {
    throw new PayloadError(`payload too short: need bit ${startBit + length - 1}, have ${bytes.length * 8} bits`);
  }
  let value = 0;
  for (let i = 0; i < length; i++) {
    const bit = startBit + i;
    if (((bytes[bit >> 3] ?? 0) >> (bit & 7)) & 1) value += 2 ** i;
  }
  return value;
}

export function hex(bytes: Uint8Array): string {
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

/**
 * A type code as the lower-case hex the vendors document it in (`hexKey(0x0b01, 2)` is
 * `'0b01'`): lookup tables are keyed so, since the formatter rewrites numeric keys as decimal.
 */
export function hexKey(code: number, bytes: number): string {
  return code.toString(16).padStart(bytes * 2, '0');
}
