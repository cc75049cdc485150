import { describe, expect, it } from 'vitest';
import { ByteReader, distanceToFill, safeDecode } from './blocks.ts';

describe('ByteReader', () => {
  it('reads little- and big-endian integers', () => {
    const r = new ByteReader(Uint8Array.from([0x34, 0x12, 0x12, 0x34, 0xff]));
    expect(r.u16le()).toBe(0x1234);
    expect(r.u16be()).toBe(0x1234);
    expect(r.i8()).toBe(-1);
    expect(r.remaining).toBe(0);
  });

  it('refuses to read past the end', () => {
    const r = new ByteReader(Uint8Array.from([1]));
    expect(() => r.u16le()).toThrow(/too short/);
  });
});

describe('safeDecode', () => {
  it('turns a throw into errors', () => {
    const result = safeDecode({ fPort: 1, bytes: new Uint8Array() }, ({ bytes }) => new ByteReader(bytes).u8());
    expect(result).toEqual({ errors: [expect.stringContaining('too short')] });
  });
});

describe('distanceToFill', () => {
  it('is 0 % at the floor, 100 % at the sensor, clamped outside', () => {
    expect(distanceToFill(1000, 1000)).toBe(0);
    expect(distanceToFill(250, 1000)).toBe(75);
    expect(distanceToFill(0, 1000)).toBe(100);
    expect(distanceToFill(5000, 1000)).toBe(0);
  });
});
