import { describe, expect, it } from 'vitest';
import { ByteReader, bitsLE, hexKey, PayloadError } from './byte-reader.ts';

describe('ByteReader', () => {
  it('reads little- and big-endian integers', () => {
    const r = new ByteReader(Uint8Array.from([0x34, 0x12, 0x12, 0x34, 0xff]));
    expect(r.u16le()).toBe(0x1234);
    expect(r.u16be()).toBe(0x1234);
    expect(r.i8()).toBe(-1);
    expect(r.remaining).toBe(0);
  });

  it('reads 24-bit big-endian values, signed and unsigned', () => {
    const r = new ByteReader(Uint8Array.from([0x07, 0xfd, 0x87, 0xff, 0xff, 0xfe]));
    expect(r.u24be()).toBe(523655);
    expect(r.i24be()).toBe(-2);
  });

  it('refuses to read past the end', () => {
    const r = new ByteReader(Uint8Array.from([1]));
    expect(() => r.u16le()).toThrow(/too short/);
  });
});

describe('bitsLE', () => {
  it('reads bit fields least-significant bit first, across bytes', () => {
    // 14-bit values 14 and 8 packed from bit 0: 0b00_0000_0000_1110 then 0b00_0000_0000_1000.
    const bytes = Uint8Array.of(0x0e, 0x00, 0x02, 0x00);
    expect(bitsLE(bytes, 0, 14)).toBe(14);
    expect(bitsLE(bytes, 14, 14)).toBe(8);
  });

  it('refuses bits past the end', () => {
    expect(() => bitsLE(Uint8Array.of(0xff), 4, 8)).toThrow(PayloadError);
  });
});

describe('hexKey', () => {
  it('writes a code as the padded lower-case hex vendors document', () => {
    expect(hexKey(0x0b01, 2)).toBe('0b01');
    expect(hexKey((0x05 << 8) | 0xc8, 2)).toBe('05c8');
    expect(hexKey(0x5a, 1)).toBe('5a');
  });
});
