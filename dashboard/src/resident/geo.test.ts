import { describe, expect, it } from 'vitest';
import { distanceM, distanceToLineM, formatCoordinates, roundScaleM, toLocalMetres } from './geo.ts';

const HERE = [35.14, 47.84] as const;

describe('the small map geometry', () => {
  it('measures metres near the city as a map would', () => {
    // 0.001° of latitude is about 110.6 m; of longitude at 47.84° N about 74.7 m.
    expect(distanceM(HERE, [35.14, 47.841])).toBeCloseTo(110.6, 0);
    expect(distanceM(HERE, [35.141, 47.84])).toBeCloseTo(74.7, 0);
    expect(toLocalMetres(HERE, [35.139, 47.839])).toMatchObject({ x: expect.any(Number), y: expect.any(Number) });
    expect(toLocalMetres(HERE, [35.139, 47.839]).x).toBeLessThan(0);
  });

  it('finds the distance to a street, between its vertices or at its ends', () => {
    const street = [
      [35.139, 47.8405],
      [35.141, 47.8405],
    ] as const;
    expect(distanceToLineM(HERE, street)).toBeCloseTo(55.3, 0);
    expect(distanceToLineM([35.143, 47.8405], street)).toBeCloseTo(149.4, 0);
    expect(distanceToLineM(HERE, [[35.14, 47.84]])).toBe(0);
  });

  it('writes coordinates to read out: latitude first, five decimals', () => {
    expect(formatCoordinates(47.816341, 35.142271)).toBe('47.81634, 35.14227');
    expect(formatCoordinates(-33.9, 151.2)).toBe('-33.90000, 151.20000');
  });

  it('rounds a scale bar to 1, 2 or 5 times a power of ten', () => {
    expect(roundScaleM(72)).toBe(50);
    expect(roundScaleM(180)).toBe(100);
    expect(roundScaleM(260)).toBe(200);
    expect(roundScaleM(0.3)).toBe(1);
  });
});
