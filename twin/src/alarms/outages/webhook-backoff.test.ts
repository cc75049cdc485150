import { describe, expect, it } from 'vitest';
import { DEFAULT_BACKOFF, retryDelayMs } from './webhook-backoff.ts';

describe('webhook backoff', () => {
  it('doubles from 10 s to an hour, jittered between half and all of each step, and gives up after the last attempt', () => {
    const high = (attempt: number) => retryDelayMs(attempt, DEFAULT_BACKOFF, () => 1);
    const low = (attempt: number) => retryDelayMs(attempt, DEFAULT_BACKOFF, () => 0);
    expect([1, 2, 3, 4].map(high)).toEqual([10_000, 20_000, 40_000, 80_000]);
    expect(low(1)).toBe(5_000);
    expect(high(11)).toBe(3_600_000);
    expect(low(11)).toBe(1_800_000);
    expect(high(12)).toBeNull();
  });
});
