import { numberKey } from '../contract/object-number.ts';
import type { CityObjectRecord, ObjectLookup } from '../objects/object-record.ts';

/** A registry of objects as the index answers lookups: any spelling of a number finds it. */
export function fakeObjects(records: Partial<CityObjectRecord>[]): ObjectLookup & { records: CityObjectRecord[] } {
  const full = records.map(
    (r): CityObjectRecord => ({
      number: r.number ?? 'ОП-01-00001',
      type: r.type ?? 'pole',
      lat: r.lat ?? 47.8,
      lon: r.lon ?? 35.1,
      district: r.district === undefined ? '01' : r.district,
      address: null,
      ownerUtility: r.ownerUtility ?? null,
      attributes: {},
    }),
  );
  const byKey = new Map(full.map((r) => [numberKey(r.number), r]));
  return { records: full, get: (number) => byKey.get(numberKey(number)) };
}
