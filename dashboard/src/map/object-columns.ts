import type { MapObjects } from '@city/twin/contract';

/**
 * Every object of the city as the map holds it: typed columns, one slot per object, in the order
 * of `GET /api/v1/map/objects`. Positions are what deck.gl reads as a binary attribute (lon, lat
 * pairs); the slot of a number is found through one Map, which is what applying readings needs.
 *
 * The answer is read as anyone could have written it: columns of unequal length, ids out of
 * range or coordinates that are not finite make the whole answer refused (a map that draws half
 * a city silently is worse than one that says it has no objects).
 */
export interface ObjectColumns {
  version: string;
  count: number;
  types: string[];
  /** Index into `types`, per slot. */
  typeOf: Uint8Array;
  numbers: string[];
  /** lon, lat per slot. */
  positions: Float64Array;
  districts: (string | null)[];
  districtOf: Uint16Array;
  slotOf: Map<string, number>;
}

/** More than a country's city holds; an answer past it is refused rather than allocated. */
export const MAX_MAP_OBJECTS = 2_000_000;

export class ObjectColumnsError extends Error {}

export function readObjectColumns(answer: MapObjects): ObjectColumns {
  const n = answer.count;
  if (!Number.isInteger(n) || n < 0 || n > MAX_MAP_OBJECTS) throw new ObjectColumnsError(`bad object count ${n}`);
  for (const [name, column] of [
    ['type', answer.type],
    ['numbers', answer.numbers],
    ['lon', answer.lon],
    ['lat', answer.lat],
    ['district', answer.district],
  ] as const) {
    if (!Array.isArray(column) || column.length !== n) throw new ObjectColumnsError(`column ${name} is not ${n} long`);
  }
  if (!Array.isArray(answer.types) || answer.types.length > 255) throw new ObjectColumnsError('bad types');
  if (!Array.isArray(answer.districts) || answer.districts.length > 65_535)
    throw new ObjectColumnsError('bad districts');
  const typeOf = new Uint8Array(n);
  const districtOf = new Uint16Array(n);
  const positions = new Float64Array(n * 2);
  const slotOf = new Map<string, number>();
  for (let i = 0; i < n; i++) {
    const type = answer.type[i] as number;
    const district = answer.district[i] as number;
    const lon = answer.lon[i] as number;
    const lat = answer.lat[i] as number;
    if (!(Number.isInteger(type) && type >= 0 && type < answer.types.length))
      throw new ObjectColumnsError(`object ${i}: type id ${type} out of range`);
    if (!(Number.isInteger(district) && district >= 0 && district < answer.districts.length))
      throw new ObjectColumnsError(`object ${i}: district id ${district} out of range`);
    if (!(Number.isFinite(lon) && Math.abs(lon) <= 180 && Number.isFinite(lat) && Math.abs(lat) <= 90))
      throw new ObjectColumnsError(`object ${i}: position out of range`);
    typeOf[i] = type;
    districtOf[i] = district;
    positions[2 * i] = lon;
    positions[2 * i + 1] = lat;
    const number = answer.numbers[i];
    if (typeof number !== 'string') throw new ObjectColumnsError(`object ${i}: number is not text`);
    slotOf.set(number, i);
  }
  return {
    version: String(answer.version),
    count: n,
    types: answer.types.map(String),
    typeOf,
    numbers: answer.numbers,
    positions,
    districts: answer.districts.map((d) => (d === null ? null : String(d))),
    districtOf,
    slotOf,
  };
}

/** The box around every object (west, south, east, north), or null without objects. */
export function boundsOf(columns: Pick<ObjectColumns, 'count' | 'positions'>): [number, number, number, number] | null {
  if (columns.count === 0) return null;
  let west = 180;
  let south = 90;
  let east = -180;
  let north = -90;
  for (let i = 0; i < columns.count; i++) {
    const lon = columns.positions[2 * i] as number;
    const lat = columns.positions[2 * i + 1] as number;
    if (lon < west) west = lon;
    if (lon > east) east = lon;
    if (lat < south) south = lat;
    if (lat > north) north = lat;
  }
  return [west, south, east, north];
}
