import { randomBytes, randomInt } from 'node:crypto';
import type { CityObjectRecord, DistrictRecord } from '../src/objects/object-record.ts';

/** Degrees of a test district's side (about 1.5 x 2.2 km). */
const SIDE = 0.02;

/**
 * A small city of its own for a test: two square districts side by side, at a place picked at
 * random among 800 in the south of Ukraine, with codes and numbers unique to the run - so tests on one
 * database, or against a shared PostgreSQL, do not meet.
 */
export function testCity() {
  const run = randomBytes(3).toString('hex');
  // South-west of the demo city (and of other suites' fixed test districts), which it must not overlap.
  const lon0 = 30 + randomInt(40) * 0.05;
  const lat0 = 46 + randomInt(20) * 0.05;
  const west: DistrictRecord = { code: `w${run}`, name: 'Західний', nameEn: 'West', boundary: square(lon0, lat0) };
  const east: DistrictRecord = { code: `e${run}`, name: 'Східний', nameEn: null, boundary: square(lon0 + SIDE, lat0) };
  return {
    run,
    districts: [west, east] as [DistrictRecord, DistrictRecord],
    /** [lon, lat] at the fraction (x, y) of the west district's square; x > 1 is in the east one. */
    at: (x: number, y: number): [number, number] => [round(lon0 + x * SIDE), round(lat0 + y * SIDE)],
    /** `ОП-<run>-00001`... */
    number: (prefix: string, i: number) => `${prefix}-${run}-${String(i).padStart(5, '0')}`,
  };
}

export type TestCity = ReturnType<typeof testCity>;

const round = (degrees: number) => Math.round(degrees * 1e7) / 1e7;

function square(lon: number, lat: number): DistrictRecord['boundary'] {
  return {
    type: 'Polygon',
    coordinates: [
      [
        [lon, lat],
        [lon + SIDE, lat],
        [lon + SIDE, lat + SIDE],
        [lon, lat + SIDE],
        [lon, lat],
      ],
    ].map((ring) => ring.map(([x, y]) => [round(x as number), round(y as number)])),
  };
}

export function districtFeature(d: DistrictRecord) {
  return {
    type: 'Feature',
    geometry: d.boundary,
    properties: { kind: 'district', code: d.code, name: d.name, nameEn: d.nameEn },
  };
}

export function pointFeature([lon, lat]: readonly unknown[], properties: Record<string, unknown>) {
  return { type: 'Feature', geometry: { type: 'Point', coordinates: [lon, lat] }, properties };
}

/** `n` valid objects spread over both districts of `city` (none on a border), alternating poles and bins. */
export function manyObjects(city: TestCity, n: number): CityObjectRecord[] {
  return Array.from({ length: n }, (_, i): CityObjectRecord => {
    const bin = i % 2 === 1;
    const [lon, lat] = city.at(0.01 + ((i * 104_729) % 997) / 510, 0.01 + ((i * 7919) % 499) / 510);
    return {
      number: city.number(bin ? 'СМ' : 'ОП', i + 1),
      type: bin ? 'bin' : 'pole',
      lat,
      lon,
      district: null,
      address: i % 3 === 0 ? `вул. Тестова, ${i}` : null,
      ownerUtility: null,
      attributes: bin ? { depthMm: 1200, route: `r-${i % 40}` } : { lampPowerW: 60 + (i % 5) * 10 },
    };
  });
}
