import { describe, expect, it } from 'vitest';
import { float32 } from './float32.ts';

describe('float32', () => {
  it('gives back the decimal a 32-bit float was written from', () => {
    for (const written of [-0.6, 5.2, 7.5, -12.25, 0, 1e-7, 3.4e38, -20.1])
      expect(float32(Math.fround(written))).toBe(written);
  });
  it('leaves what is not a float32 as it is', () => {
    expect(float32(Number.NaN)).toBeNaN();
    expect(float32(0.1)).toBe(0.1);
  });
});
