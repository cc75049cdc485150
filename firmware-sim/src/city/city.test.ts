import { OBJECT_NUMBER, OBJECT_TYPES } from '@city/twin/contract';
import { describe, expect, it } from 'vitest';
import { type City, demoCity, importCity, toGeoJSON } from './index.ts';

const city = demoCity(1);

/** Winding number, written apart from the generator's ray casting so the two check each other. */
function winding([x, y]: [number, number], ring: [number, number][]): number {
  let wn = 0;
  for (let i = 0; i < ring.length - 1; i++) {
    const [x1, y1] = ring[i] as [number, number];
    const [x2, y2] = ring[i + 1] as [number, number];
    const side = (x2 - x1) * (y - y1) - (x - x1) * (y2 - y1);
    if (y1 <= y && y2 > y && side > 0) wn++;
    else if (y1 > y && y2 <= y && side < 0) wn--;
  }
  return wn;
}

/** Object types a device of each class may be mounted on (mission brief and API.md). */
const FITS: Record<string, string[]> = {
  bin: ['bin'],
  meter: ['meter_point'],
  streetlight: ['pole', 'cabinet'],
  air: ['air_station'],
  io: ['manhole', 'cabinet'],
};

describe('demo city', () => {
  it('is the same city for the same seed and another for another seed', () => {
    expect(JSON.stringify(demoCity(1))).toBe(JSON.stringify(city));
    expect(demoCity(2).objects[0]).not.toEqual(city.objects[0]);
  });

  it('has seven districts and at least 20,000 objects of every type', () => {
    expect(city.districts.map((d) => d.code)).toEqual(['01', '02', '03', '04', '05', '06', '07']);
    expect(city.objects.length).toBeGreaterThanOrEqual(20_000);
    expect(new Set(city.objects.map((o) => o.type))).toEqual(new Set(Object.keys(OBJECT_TYPES)));
  });

  it('numbers every object uniquely as prefix-district-sequence', () => {
    const numbers = city.objects.map((o) => o.number);
    expect(new Set(numbers).size).toBe(numbers.length);
    for (const o of city.objects) {
      const match = OBJECT_NUMBER.exec(o.number);
      expect(match?.[1]).toBe(OBJECT_TYPES[o.type].prefix);
      expect(match?.[2]).toBe(o.district);
    }
  });

  it('places every object inside its district', () => {
    const rings = new Map(city.districts.map((d) => [d.code, d.ring as [number, number][]]));
    const outside = city.objects.filter((o) => winding([o.lon, o.lat], rings.get(o.district) ?? []) === 0);
    expect(outside.map((o) => o.number)).toEqual([]);
  });

  it('keeps districts apart: no object lies in two', () => {
    const sample = city.objects.filter((_, i) => i % 50 === 0);
    for (const o of sample) {
      const homes = city.districts.filter((d) => winding([o.lon, o.lat], d.ring as [number, number][]) !== 0);
      expect(homes.map((d) => d.code)).toEqual([o.district]);
    }
  });

  it('feeds every pole from a cabinet of its district that counts it', () => {
    const byNumber = new Map(city.objects.map((o) => [o.number, o]));
    const fed = new Map<string, number>();
    for (const pole of city.objects.filter((o) => o.type === 'pole')) {
      const cabinet = byNumber.get(String(pole.props.cabinet));
      expect(cabinet?.type).toBe('cabinet');
      expect(cabinet?.district).toBe(pole.district);
      fed.set(String(pole.props.cabinet), (fed.get(String(pole.props.cabinet)) ?? 0) + 1);
    }
    for (const cabinet of city.objects.filter((o) => o.type === 'cabinet')) {
      expect(cabinet.props.poles).toBe(fed.get(cabinet.number));
    }
  });

  it('binds at least 5,000 devices of all five classes, each to an object of a fitting type', () => {
    const byNumber = new Map(city.objects.map((o) => [o.number, o]));
    expect(city.devices.length).toBeGreaterThanOrEqual(5000);
    expect(new Set(city.devices.map((d) => d.class))).toEqual(new Set(Object.keys(FITS)));
    expect(new Set(city.devices.map((d) => d.devEui)).size).toBe(city.devices.length);
    expect(new Set(city.devices.map((d) => d.objectNumber)).size).toBe(city.devices.length);
    for (const d of city.devices) {
      expect(d.devEui).toMatch(/^[0-9a-f]{16}$/);
      expect(FITS[d.class]).toContain(byNumber.get(d.objectNumber)?.type);
    }
  });

  it('sizes the city to larger fleets', () => {
    const big = demoCity(1, 12_000);
    expect(big.devices.length).toBe(12_000);
    expect(big.objects.length).toBeGreaterThan(city.objects.length * 2);
  });
});

describe('GeoJSON', () => {
  const collection = toGeoJSON(city);

  it('marks the collection and every feature synthetic', () => {
    expect(collection.synthetic).toBe(true);
    expect(collection.note).toMatch(/[Ss]ynthetic/);
    expect(collection.features.every((f) => f.properties?.synthetic === true)).toBe(true);
  });

  it('has a Point per object, a Polygon per district and the streets', () => {
    const kinds = (type: string) => collection.features.filter((f) => f.geometry.type === type).length;
    expect(kinds('Point')).toBe(city.objects.length);
    expect(kinds('Polygon')).toBe(7);
    expect(kinds('LineString')).toBe(city.streets.length);
  });

  it('imports back into the same objects, and binds devices to an imported city the same way', () => {
    const { city: imported, skipped } = importCity(JSON.parse(JSON.stringify(collection)), 1);
    expect(skipped).toBe(0);
    expect(imported.objects).toEqual(city.objects);
    expect(imported.districts).toEqual(city.districts);
    expect(imported.devices).toEqual(city.devices);
  });

  it("takes a city's own objects without our extras", () => {
    const own = {
      type: 'FeatureCollection' as const,
      features: [
        {
          type: 'Feature' as const,
          geometry: { type: 'Point', coordinates: [35.1, 47.8] },
          properties: { number: 'СМ-02-00001', type: 'bin' },
        },
        {
          type: 'Feature' as const,
          geometry: { type: 'Point', coordinates: [35.1, 47.8] },
          properties: { number: 'X', type: 'kiosk' },
        },
      ],
    };
    const { city: imported, skipped }: { city: City; skipped: number } = importCity(own, 1, 10);
    expect(skipped).toBe(1);
    expect(imported.synthetic).toBe(false);
    expect(imported.objects[0]).toMatchObject({ number: 'СМ-02-00001', district: '02', props: {} });
    expect(imported.devices.map((d) => d.class)).toEqual(['bin']);
  });
});
