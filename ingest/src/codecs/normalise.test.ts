import { describe, expect, it } from 'vitest';
import { batteryFromVolts, batteryPercent, distanceToFill, fillFromDistance, metricsFrom } from './normalise.ts';

describe('metricsFrom', () => {
  it('turns booleans into 1/0 and skips absent or non-finite values', () => {
    expect(
      metricsFrom([
        ['tilt', true],
        ['leak', false],
        ['battery', undefined],
        ['temperature', Number.NaN],
        ['humidity', 40],
      ]),
    ).toEqual([
      { metric: 'tilt', value: 1 },
      { metric: 'leak', value: 0 },
      { metric: 'humidity', value: 40 },
    ]);
  });
});

describe('distanceToFill', () => {
  it('is 0 % at the floor, 100 % at the sensor, clamped outside', () => {
    expect(distanceToFill(1000, 1000)).toBe(0);
    expect(distanceToFill(250, 1000)).toBe(75);
    expect(distanceToFill(0, 1000)).toBe(100);
    expect(distanceToFill(5000, 1000)).toBe(0);
  });

  it('uses the object bin depth, else the default', () => {
    expect(fillFromDistance(400, { binDepthMm: 800 })).toEqual([
      ['distance', 400],
      ['fill_level', 50],
    ]);
    expect(fillFromDistance(600, {})).toEqual([
      ['distance', 600],
      ['fill_level', 50],
    ]);
    expect(fillFromDistance(undefined, {})).toEqual([]);
  });
});

describe('batteryPercent', () => {
  it('is linear from 3.0 V (0 %) to 3.6 V (100 %), clamped', () => {
    expect(batteryPercent(3.0)).toBe(0);
    expect(batteryPercent(3.3)).toBe(50);
    expect(batteryPercent(3.6)).toBe(100);
    expect(batteryPercent(3.8)).toBe(100);
    expect(batteryPercent(2.5)).toBe(0);
  });

  it('emits both the percentage and the voltage', () => {
    expect(batteryFromVolts(3.45)).toEqual([
      ['battery', 75],
      ['battery_voltage', 3.45],
    ]);
  });
});
