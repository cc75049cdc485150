import { describe, expect, it } from 'vitest';
import { decimalShift, scaled } from './decimals.ts';

describe('scaled and decimalShift', () => {
  it('give the decimal a vendor prints, without float noise', () => {
    expect(scaled(308, 10)).toBe(30.8);
    expect(scaled(-156, 10)).toBe(-15.6);
    expect(decimalShift(2013060, -3)).toBe(2013.06);
    expect(decimalShift(11, 2)).toBe(1100);
  });
});
