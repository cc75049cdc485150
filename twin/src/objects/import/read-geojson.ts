import type { ImportRejection } from '../../contract/objects.ts';
import { quote } from './check-text.ts';
import type { RawObject } from './raw-object.ts';

/** The properties that are the object itself; any other is an attribute. */
const OWN = new Set(['number', 'type', 'district', 'address', 'street', 'ownerUtility', 'owner_utility', 'kind']);

export interface GeoJsonRows {
  objects: RawObject[];
  districts: { at: number; properties: Record<string, unknown>; geometry: Record<string, unknown> }[];
  /** Street features (`kind: "street"`), for the base map (map/check-street.ts checks them). */
  streets: { at: number; properties: Record<string, unknown>; geometry: Record<string, unknown> }[];
  /** Features that are neither objects nor districts (streets): not objects of the registry. */
  ignored: number;
  rejected: ImportRejection[];
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Sorts a FeatureCollection's features (as the body parser gave them; the route's schema has
 * checked the collection itself): Points are objects, `kind: "district"` features districts,
 * `kind: "street"` streets (kept for the base map, counted as `ignored` objects); a feature that is none of these is rejected here.
 */
export function readGeoJson(features: readonly unknown[]): GeoJsonRows {
  const rows: GeoJsonRows = { objects: [], districts: [], streets: [], ignored: 0, rejected: [] };
  for (let at = 0; at < features.length; at++) {
    const feature = features[at];
    const reject = (reason: string, number: string | null = null) => {
      rows.rejected.push({ feature: at, number, reasons: [reason] });
    };
    if (!isRecord(feature) || feature.type !== 'Feature') {
      reject('feature: not a GeoJSON Feature');
      continue;
    }
    const { properties, geometry } = feature;
    if (!isRecord(properties) || !isRecord(geometry)) {
      reject(`${isRecord(properties) ? 'geometry' : 'properties'}: missing`);
      continue;
    }
    const kind = properties.kind;
    if (kind === 'district') {
      rows.districts.push({ at, properties, geometry });
      continue;
    }
    if (kind === 'street') {
      rows.streets.push({ at, properties, geometry });
      rows.ignored++;
      continue;
    }
    const number = typeof properties.number === 'string' ? properties.number : null;
    if (kind !== undefined && kind !== null && kind !== 'object') {
      reject(`kind: ${quote(kind)} is not "district", "street" or an object's (none)`, number);
      continue;
    }
    const coordinates = geometry.type === 'Point' ? geometry.coordinates : undefined;
    if (!Array.isArray(coordinates) || coordinates.length < 2 || coordinates.length > 3) {
      reject(`geometry: an object needs a Point [lon, lat], not ${quote(geometry.type)}`, number);
      continue;
    }
    const attributes: [string, unknown][] = [];
    for (const [name, value] of Object.entries(properties)) if (!OWN.has(name)) attributes.push([name, value]);
    rows.objects.push({
      at: { feature: at },
      text: false,
      number: properties.number,
      type: properties.type,
      lon: coordinates[0],
      lat: coordinates[1],
      district: properties.district,
      // The demo city (firmware-sim's toGeoJSON) names the street, which is the address residents give.
      address: properties.address ?? properties.street,
      ownerUtility: properties.ownerUtility ?? properties.owner_utility,
      attributes,
    });
  }
  return rows;
}
