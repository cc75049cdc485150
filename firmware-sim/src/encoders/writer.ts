/**
 * Growable byte buffer for firmware payloads. Every integer write checks that the value is an
 * integer inside the field's range: a value the wire cannot carry is a bug in the caller, and
 * wrapping it silently would hand the decoder a different reading than the one simulated.
 */
export class ByteWriter {
  private readonly out: number[] = [];
  /** Multi-byte values are laid out here by DataView, then copied to `out`. */
  private readonly scratch = new DataView(new ArrayBuffer(4));

  get size(): number {
    return this.out.length;
  }

  private copy(n: number): this {
    for (let i = 0; i < n; i++) this.out.push(this.scratch.getUint8(i));
    return this;
  }

  u8(value: number): this {
    this.out.push(checked(value, 0, 0xff));
    return this;
  }
  i8(value: number): this {
    this.out.push(checked(value, -0x80, 0x7f) & 0xff);
    return this;
  }
  u16le(value: number): this {
    this.scratch.setUint16(0, checked(value, 0, 0xffff), true);
    return this.copy(2);
  }
  i16le(value: number): this {
    this.scratch.setInt16(0, checked(value, -0x8000, 0x7fff), true);
    return this.copy(2);
  }
  u32le(value: number): this {
    this.scratch.setUint32(0, checked(value, 0, 0xffffffff), true);
    return this.copy(4);
  }
  u16be(value: number): this {
    this.scratch.setUint16(0, checked(value, 0, 0xffff));
    return this.copy(2);
  }
  i16be(value: number): this {
    this.scratch.setInt16(0, checked(value, -0x8000, 0x7fff));
    return this.copy(2);
  }
  i24be(value: number): this {
    this.scratch.setInt32(0, checked(value, -0x800000, 0x7fffff));
    this.out.push(this.scratch.getUint8(1), this.scratch.getUint8(2), this.scratch.getUint8(3));
    return this;
  }
  u32be(value: number): this {
    this.scratch.setUint32(0, checked(value, 0, 0xffffffff));
    return this.copy(4);
  }
  i32be(value: number): this {
    this.scratch.setInt32(0, checked(value, -0x80000000, 0x7fffffff));
    return this.copy(4);
  }
  f32be(value: number): this {
    this.scratch.setFloat32(0, value);
    return this.copy(4);
  }
  /** Unsigned little-endian integer of `n` bytes (M-Bus data fields are 1 to 8 bytes). */
  uintLe(value: number, n: number): this {
    checked(value, 0, 2 ** (8 * n) - 1);
    for (let i = 0; i < n; i++) this.out.push(Math.floor(value / 2 ** (8 * i)) % 256);
    return this;
  }
  /** Packed BCD, least significant digit pair first, as M-Bus stores identification numbers. */
  bcdLe(value: number, n: number): this {
    checked(value, 0, 10 ** (2 * n) - 1);
    for (let i = 0; i < n; i++) {
      const pair = Math.floor(value / 100 ** i) % 100;
      this.out.push(Math.floor(pair / 10) * 16 + (pair % 10));
    }
    return this;
  }
  ascii(text: string): this {
    for (const char of text) this.u8(checked(char.charCodeAt(0), 0x20, 0x7e));
    return this;
  }
  bytes(data: Uint8Array): this {
    this.out.push(...data);
    return this;
  }

  toBytes(): Uint8Array {
    return Uint8Array.from(this.out);
  }
}

/**
 * Packs unsigned fields least-significant bit first, the way meters fill a bit stream
 * (Axioma's 14-bit hourly deltas).
 */
export class BitWriter {
  private readonly bits: number[] = [];

  uint(value: number, width: number): this {
    checked(value, 0, 2 ** width - 1);
    for (let i = 0; i < width; i++) this.bits.push(Math.floor(value / 2 ** i) % 2);
    return this;
  }

  /** The bit stream, zero-padded to whole bytes. */
  toBytes(): Uint8Array {
    const out = new Uint8Array(Math.ceil(this.bits.length / 8));
    this.bits.forEach((bit, i) => {
      if (bit) out[i >> 3] = (out[i >> 3] ?? 0) | (1 << (i & 7));
    });
    return out;
  }
}

/** The wire integer for a value sent in units of 1/factor (e.g. °C × 10). */
export function scale(value: number, factor: number): number {
  return Math.round(value * factor);
}

function checked(value: number, min: number, max: number): number {
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new RangeError(`${value} does not fit the field (integer ${min}..${max})`);
  }
  return value;
}
