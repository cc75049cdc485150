import type { Queryable } from '@city/ingest';
import { listDistricts } from '../districts-table.ts';
import type { CityObjectRecord, DistrictRecord } from '../object-record.ts';
import { type ObjectFilter, objectPages } from '../objects-table.ts';

export function districtFeature(d: DistrictRecord) {
  return {
    type: 'Feature',
    geometry: d.boundary,
    properties: { kind: 'district', code: d.code, name: d.name, nameEn: d.nameEn },
  };
}

/** An object as a GeoJSON Point: its own fields and its attributes side by side in `properties`, as the import reads them. */
export function objectFeature(o: CityObjectRecord) {
  return {
    type: 'Feature',
    geometry: { type: 'Point', coordinates: [o.lon, o.lat] },
    properties: {
      ...o.attributes,
      number: o.number,
      type: o.type,
      district: o.district,
      address: o.address,
      ownerUtility: o.ownerUtility,
    },
  };
}

/**
 * The registry as one GeoJSON FeatureCollection, written a page of objects at a time: the
 * districts (the one filtered on, or all) as `kind: "district"` Polygons first, then the
 * objects as Points - the file `POST /objects/import` takes back.
 */
export async function* exportGeoJson(db: Queryable, filter: ObjectFilter): AsyncGenerator<string> {
  yield '{"type":"FeatureCollection","features":[\n';
  let separator = '';
  const districts = (await listDistricts(db)).filter((d) => !filter.district || d.code === filter.district);
  for (const d of districts) {
    yield `${separator}${JSON.stringify(districtFeature(d))}`;
    separator = ',\n';
  }
  for await (const page of objectPages(db, filter)) {
    yield `${separator}${page.map((o) => JSON.stringify(objectFeature(o))).join(',\n')}`;
    separator = ',\n';
  }
  yield '\n]}\n';
}
