import { describe, expect, it } from 'vitest';
import { objectNumber } from '../contract/object-types.ts';
import { ObjectIndex } from '../objects/object-index.ts';
import type { CityObjectRecord } from '../objects/object-record.ts';
import { distanceM } from '../objects/spatial-distance.ts';
import { geometricMedian, locate, READ_DISTANCE_M } from './locate.ts';

const M_PER_DEG = (6_371_000 * Math.PI) / 180;

/** A point `metres` from (lat, lon) towards `bearing` (radians, 0 = north). */
function offset(lat: number, lon: number, metres: number, bearing: number) {
  return {
    lat: lat + (metres * Math.cos(bearing)) / M_PER_DEG,
    lon: lon + (metres * Math.sin(bearing)) / (M_PER_DEG * Math.cos((lat * Math.PI) / 180)),
  };
}

let sequence = 0;
function pole(at: { lat: number; lon: number }): CityObjectRecord {
  return {
    number: objectNumber('pole', '03', ++sequence),
    type: 'pole',
    ...at,
    district: '03',
    address: null,
    ownerUtility: null,
    attributes: {},
  };
}

/** A deterministic stream of numbers in [0, 1). */
function random(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (Math.imul(a, 1664525) + 1013904223) >>> 0;
    return a / 4294967296;
  };
}

describe('locate', () => {
  it('one number: the object itself, as accurate as a number is readable', () => {
    const object = pole({ lat: 47.84, lon: 35.14 });
    const result = locate([object.number.toLowerCase()], ObjectIndex.build([object]));
    expect(result).toEqual({
      estimate: { lat: 47.84, lon: 35.14, accuracyM: READ_DISTANCE_M },
      used: [object.number],
      ignored: [],
    });
  });

  it('the caller stands within the accuracy it reports: numbers read nearby, or from among the objects', () => {
    const rng = random(7);
    for (let trial = 0; trial < 300; trial++) {
      const caller = { lat: 47.8 + rng() * 0.1, lon: 35.05 + rng() * 0.2 };
      const seen =
        trial % 2 === 0
          ? // Read from up to 28 m away, in any direction.
            Array.from({ length: 1 + Math.floor(rng() * 6) }, () =>
              pole(offset(caller.lat, caller.lon, 3 + rng() * 25, rng() * 2 * Math.PI)),
            )
          : // The caller stands in the middle of a crossing, objects 40-120 m around it on all sides.
            [0, 1, 2, 3].map((q) =>
              pole(offset(caller.lat, caller.lon, 40 + rng() * 80, ((q + rng() * 0.8) * Math.PI) / 2)),
            );
      const result = locate(
        seen.map((o) => o.number),
        ObjectIndex.build(seen),
      );
      const estimate = result.estimate;
      if (!estimate) throw new Error('no estimate');
      expect(result.ignored).toEqual([]);
      expect(distanceM(caller.lon, caller.lat, estimate.lon, estimate.lat)).toBeLessThanOrEqual(estimate.accuracyM);
      expect(estimate.accuracyM).toBeGreaterThanOrEqual(READ_DISTANCE_M);
    }
  });

  it('ignores and reports a number implausibly far from the rest, and numbers no object has', () => {
    const caller = { lat: 47.84, lon: 35.14 };
    const near = [0, 1, 2, 3].map((i) => pole(offset(caller.lat, caller.lon, 15 + 3 * i, i * 1.7)));
    const far = pole(offset(caller.lat, caller.lon, 2500, 1));
    const index = ObjectIndex.build([...near, far]);
    const result = locate(
      [near[0]?.number ?? '', far.number, 'ОП-99-99999', ...near.slice(1).map((o) => o.number)],
      index,
    );
    expect(result.used.sort()).toEqual(near.map((o) => o.number).sort());
    expect(result.ignored).toEqual([
      { number: 'ОП-99-99999', reason: 'unknown' },
      { number: far.number, reason: 'outlier' },
    ]);
    const estimate = result.estimate;
    if (!estimate) throw new Error('no estimate');
    expect(distanceM(caller.lon, caller.lat, estimate.lon, estimate.lat)).toBeLessThanOrEqual(estimate.accuracyM);
    expect(estimate.accuracyM).toBeLessThan(40);
  });

  it('a number given twice counts once; two numbers that disagree both count, and the accuracy says so', () => {
    const a = pole({ lat: 47.84, lon: 35.14 });
    const b = pole(offset(47.84, 35.14, 1000, Math.PI / 2));
    const index = ObjectIndex.build([a, b]);
    const result = locate([a.number, a.number.replaceAll('-', ' '), b.number], index);
    expect(result.ignored).toEqual([{ number: a.number.replaceAll('-', ' '), reason: 'duplicate' }]);
    expect(result.used).toEqual([a.number, b.number]);
    expect(result.estimate?.accuracyM).toBeGreaterThanOrEqual(500);
    expect(result.estimate?.accuracyM).toBeLessThanOrEqual(501);
  });

  it('no known number: no estimate, every number reported', () => {
    const index = ObjectIndex.build([pole({ lat: 47.84, lon: 35.14 })]);
    expect(locate(['ЛК-01-00001', '---'], index)).toEqual({
      estimate: null,
      used: [],
      ignored: [
        { number: 'ЛК-01-00001', reason: 'unknown' },
        { number: '---', reason: 'unknown' },
      ],
    });
  });

  it('finds the geometric median, which an outlier barely moves', () => {
    const centre = geometricMedian([
      { x: 0, y: 0 },
      { x: 10, y: 0 },
      { x: 0, y: 10 },
      { x: 10, y: 10 },
      { x: 5000, y: 5000 },
    ]);
    expect(centre.x).toBeLessThan(11);
    expect(centre.y).toBeLessThan(11);
    expect(geometricMedian([{ x: 3, y: 4 }])).toEqual({ x: 3, y: 4 });
  });
});
