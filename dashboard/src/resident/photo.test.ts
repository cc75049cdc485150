import { describe, expect, it } from 'vitest';
import { fitWithin } from './photo.ts';

describe("a report photo's size on the phone", () => {
  it('fits the longer side within the limit and never enlarges', () => {
    expect(fitWithin(4032, 3024, 1600)).toEqual({ width: 1600, height: 1200 });
    expect(fitWithin(3024, 4032, 1600)).toEqual({ width: 1200, height: 1600 });
    expect(fitWithin(320, 240, 1600)).toEqual({ width: 320, height: 240 });
    expect(fitWithin(100_000, 1, 1600)).toEqual({ width: 1600, height: 1 });
    expect(fitWithin(0, 0, 1600)).toEqual({ width: 1, height: 1 });
  });
});
