import { describe, expect, it } from 'vitest';
import { numberKey } from '../contract/object-number.ts';
import { type ObjectType, objectNumber } from '../contract/object-types.ts';
import { ObjectIndex } from './object-index.ts';
import type { CityObjectRecord, DistrictRecord } from './object-record.ts';

/** A small deterministic generator (mulberry32), so a failing case can be replayed. */
function random(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const TYPES: ObjectType[] = ['pole', 'bin', 'tree', 'shelter', 'air_station'];
const DISTRICTS = ['01', '02', '03'];
const BOX = { west: 35.0, south: 47.75, east: 35.3, north: 47.95 };

/** The oracle's distance: haversine on its own, the same earth radius geokdbush uses. */
function haversineM(lon1: number, lat1: number, lon2: number, lat2: number): number {
  const rad = Math.PI / 180;
  const h =
    Math.sin(((lat2 - lat1) * rad) / 2) ** 2 +
    Math.cos(lat1 * rad) * Math.cos(lat2 * rad) * Math.sin(((lon2 - lon1) * rad) / 2) ** 2;
  return 2 * 6_371_000 * Math.asin(Math.sqrt(h));
}

/** The brute-force oracle: plain records, linear scans. */
class Oracle {
  readonly byKey = new Map<string, CityObjectRecord>();
  upsert(o: CityObjectRecord) {
    this.byKey.set(numberKey(o.number), o);
  }
  remove(number: string) {
    this.byKey.delete(numberKey(number));
  }
  filtered(type?: string, district?: string) {
    return [...this.byKey.values()].filter(
      (o) => (type === undefined || o.type === type) && (district === undefined || o.district === district),
    );
  }
  byDistance(lat: number, lon: number, type?: string, district?: string) {
    return this.filtered(type, district)
      .map((o) => ({ number: o.number, d: haversineM(lon, lat, o.lon, o.lat) }))
      .sort((a, b) => a.d - b.d);
  }
}

function world(seed: number) {
  const rng = random(seed);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(rng() * list.length)] as T;
  let sequence = 0;
  const object = (number?: string): CityObjectRecord => {
    const type = pick(TYPES);
    const district = rng() < 0.1 ? null : pick(DISTRICTS);
    // Most numbers of the scheme, some spelled otherwise (kept as given), some of a city's own scheme.
    const spelling = rng();
    const fresh = objectNumber(type, district ?? '00', ++sequence);
    return {
      number:
        number ??
        (spelling < 0.1 ? `KIOSK/${sequence}` : spelling < 0.2 ? fresh.replace('-', ' ').toLowerCase() : fresh),
      type,
      lat: BOX.south + rng() * (BOX.north - BOX.south),
      lon: BOX.west + rng() * (BOX.east - BOX.west),
      district,
      address: rng() < 0.5 ? `вул. Соборна, ${Math.floor(rng() * 200)}` : null,
      ownerUtility: rng() < 0.3 ? null : pick(['zaporizhzhiaoblenergo', 'vodokanal']),
      attributes: rng() < 0.5 ? {} : { depthMm: Math.floor(rng() * 2000), lit: rng() < 0.5, route: 'R-1' },
    };
  };
  const point = () => ({
    lat: BOX.south + rng() * (BOX.north - BOX.south),
    lon: BOX.west + rng() * (BOX.east - BOX.west),
  });
  return { rng, pick, object, point };
}

/** Every query kind on random points and filters, index against oracle. */
function agree(index: ObjectIndex, oracle: Oracle, w: ReturnType<typeof world>, rounds = 40) {
  expect(index.size).toBe(oracle.byKey.size);
  for (let round = 0; round < rounds; round++) {
    const { lat, lon } = w.point();
    const type = w.rng() < 0.5 ? w.pick(TYPES) : undefined;
    const district = w.rng() < 0.3 ? w.pick(DISTRICTS) : undefined;
    const all = oracle.byDistance(lat, lon, type, district);

    const radius = 100 + w.rng() * 3000;
    const near = index.near(lat, lon, radius, { type, district });
    const within = all.filter((o) => o.d <= radius);
    expect(near.map((h) => h.object.number)).toEqual(within.map((o) => o.number));
    near.forEach((h, i) => {
      expect(h.distanceM).toBeCloseTo(within[i]?.d ?? NaN, 3);
    });
    expect(index.near(lat, lon, radius, { type, district, limit: 3 }).map((h) => h.object.number)).toEqual(
      within.slice(0, 3).map((o) => o.number),
    );

    const k = 1 + Math.floor(w.rng() * 12);
    expect(index.nearest(lat, lon, k, { type, district }).map((h) => h.object.number)).toEqual(
      all.slice(0, k).map((o) => o.number),
    );
    const maxDistanceM = 200 + w.rng() * 1000;
    expect(index.nearest(lat, lon, k, { type, maxDistanceM }).map((h) => h.object.number)).toEqual(
      oracle
        .byDistance(lat, lon, type)
        .filter((o) => o.d <= maxDistanceM)
        .slice(0, k)
        .map((o) => o.number),
    );

    const a = w.point();
    const b = w.point();
    const [west, east] = [Math.min(a.lon, b.lon), Math.max(a.lon, b.lon)];
    const [south, north] = [Math.min(a.lat, b.lat), Math.max(a.lat, b.lat)];
    const inBox = oracle
      .filtered(type, district)
      .filter((o) => o.lon >= west && o.lon <= east && o.lat >= south && o.lat <= north)
      .map((o) => o.number);
    const boxed = index.bbox(west, south, east, north, { type, district }).map((o) => o.number);
    expect(boxed.sort()).toEqual(inBox.sort());
    const limited = index.bbox(west, south, east, north, { type, district, limit: 5 });
    expect(limited.length).toBe(Math.min(5, inBox.length));
    for (const o of limited) expect(inBox).toContain(o.number);

    const code = w.pick(DISTRICTS);
    expect(
      index
        .inDistrict(code, { type })
        .map((o) => o.number)
        .sort(),
    ).toEqual(
      oracle
        .filtered(type, code)
        .map((o) => o.number)
        .sort(),
    );
  }
  // Every record comes back as it went in.
  for (const o of [...oracle.byKey.values()].slice(0, 200)) expect(index.get(o.number)).toEqual(o);
}

describe('ObjectIndex', () => {
  it('answers near, nearest, bbox and inDistrict as a linear scan does', () => {
    const w = world(1);
    const oracle = new Oracle();
    const objects = Array.from({ length: 3000 }, () => w.object());
    for (const o of objects) oracle.upsert(o);
    const index = ObjectIndex.build(objects);
    agree(index, oracle, w);
    expect(index.list({ type: 'bin' }).length).toBe(oracle.filtered('bin').length);
    expect(index.list().length).toBe(3000);
    expect(index.list({ limit: 7 }).length).toBe(7);
  });

  it('stays in step through upserts, moves, type changes and removals, before and after it rebuilds', () => {
    const w = world(2);
    const oracle = new Oracle();
    const objects = Array.from({ length: 2000 }, () => w.object());
    for (const o of objects) oracle.upsert(o);
    const index = ObjectIndex.build(objects);
    // Batches below the rebuild threshold (the pending scan and tombstones answer) and above it.
    for (const changes of [5, 50, 300, 1500, 20]) {
      for (let i = 0; i < changes; i++) {
        const existing = [...oracle.byKey.values()];
        const roll = w.rng();
        if (roll < 0.3) {
          const o = w.object();
          oracle.upsert(o);
          index.upsert(o);
        } else if (roll < 0.55) {
          // Moved, maybe retyped: a fresh slot, the old one a tombstone.
          const moved = w.object(w.pick(existing).number);
          oracle.upsert(moved);
          index.upsert(moved);
        } else if (roll < 0.75) {
          // Same place and type: written in place.
          const victim = w.pick(existing);
          const edited = { ...victim, address: 'просп. Соборний, 1', attributes: { volumeL: 1100 } };
          oracle.upsert(edited);
          index.upsert(edited);
        } else {
          const victim = w.pick(existing);
          oracle.remove(victim.number);
          index.remove(victim.number.replaceAll('-', ' '));
        }
      }
      agree(index, oracle, w, 15);
    }
  });

  it('finds an object by its number typed in Latin look-alikes, any case, without dashes', () => {
    const pole: CityObjectRecord = {
      number: 'ОП-03-00417',
      type: 'pole',
      lat: 47.84,
      lon: 35.14,
      district: '03',
      address: null,
      ownerUtility: null,
      attributes: { powerW: 120 },
    };
    const index = ObjectIndex.build([pole]);
    for (const typed of ['ОП-03-00417', 'op-03-00417', 'OP0300417', 'оп 03 00417', 'Op–03–00417']) {
      expect(index.get(typed)).toEqual(pole);
    }
    expect(index.get('ОП-03-00418')).toBeUndefined();
    expect(index.position('Op 03 00417')).toEqual({ number: 'ОП-03-00417', lat: 47.84, lon: 35.14 });
    expect(index.position('ОП-03-00418')).toBeUndefined();
    // What `get` hands out is the caller's: changing it changes nothing inside.
    const copy = index.get('op0300417') as CityObjectRecord;
    copy.attributes.powerW = 1;
    expect(index.get('op0300417')?.attributes).toEqual({ powerW: 120 });
    index.remove('OP-03-00417');
    expect(index.get('ОП-03-00417')).toBeUndefined();
    expect(index.size).toBe(0);
  });

  it('answers nothing, not an error, when empty or asked for a type or district nobody has', () => {
    const empty = ObjectIndex.build([]);
    expect(empty.nearest(47.84, 35.14, 5)).toEqual([]);
    expect(empty.near(47.84, 35.14, 1000)).toEqual([]);
    expect(empty.bbox(35, 47, 36, 48)).toEqual([]);
    expect(empty.inDistrict('01')).toEqual([]);
    const w = world(3);
    const index = ObjectIndex.build(Array.from({ length: 50 }, () => w.object()));
    expect(index.nearest(47.84, 35.14, 5, { type: 'ufo' })).toEqual([]);
    expect(index.inDistrict('99')).toEqual([]);
    expect(index.nearest(47.84, 35.14, 0)).toEqual([]);
    // A type first seen after the last rebuild is answered from the pending slots.
    index.upsert({ ...w.object('ЗП-01-99999'), type: 'kiosk' });
    expect(index.nearest(47.84, 35.14, 5, { type: 'kiosk' }).map((h) => h.object.number)).toEqual(['ЗП-01-99999']);
    expect(index.list({ type: 'kiosk' }).map((o) => o.number)).toEqual(['ЗП-01-99999']);
  });

  it('says which district a point lies in, by polygon, holes and multipolygons included', () => {
    const square = (w: number, s: number, e: number, n: number) => [
      [w, s],
      [e, s],
      [e, n],
      [w, n],
      [w, s],
    ];
    const districts: DistrictRecord[] = [
      {
        code: '01',
        name: 'Перший',
        nameEn: null,
        boundary: { type: 'Polygon', coordinates: [square(35, 47, 35.1, 47.1), square(35.04, 47.04, 35.06, 47.06)] },
      },
      {
        code: '02',
        name: 'Другий',
        nameEn: null,
        boundary: {
          type: 'MultiPolygon',
          coordinates: [[square(35.1, 47, 35.2, 47.1)], [square(35.04, 47.04, 35.06, 47.06)]],
        },
      },
    ];
    const index = ObjectIndex.build([], districts);
    expect(index.districtAt(35.01, 47.01)).toBe('01');
    expect(index.districtAt(35.15, 47.05)).toBe('02');
    // In 01's hole, which is 02's island.
    expect(index.districtAt(35.05, 47.05)).toBe('02');
    expect(index.districtAt(35.5, 47.05)).toBeNull();
    // Diagonal ring: inside its bounding box, outside the polygon.
    index.setDistricts([
      {
        code: '03',
        name: 'Третій',
        nameEn: null,
        boundary: {
          type: 'Polygon',
          coordinates: [
            [
              [35, 47],
              [35.2, 47],
              [35, 47.2],
              [35, 47],
            ],
          ],
        },
      },
    ]);
    expect(index.districtAt(35.05, 47.05)).toBe('03');
    expect(index.districtAt(35.15, 47.15)).toBeNull();
  });

  it('estimates its memory from what it holds', () => {
    const w = world(4);
    const index = ObjectIndex.build(Array.from({ length: 5000 }, () => w.object()));
    const perObject = index.memoryBytes() / index.size;
    expect(perObject).toBeGreaterThan(100);
    expect(perObject).toBeLessThan(500);
  });
});
