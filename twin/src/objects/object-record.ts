/**
 * A numbered city object as the twin holds it: in the objects table, in the in-memory index
 * and in what import and export read and write. Shared by every part of the twin that looks
 * objects up (locate, reports, bindings, live state).
 */
export interface CityObjectRecord {
  /** As painted and as imported (`ОП-03-00417`); looked up through its number key. */
  number: string;
  /** An object type id (the object_types table; API.md's vocabulary by default). */
  type: string;
  lat: number;
  lon: number;
  /** District code, or null outside every district. */
  district: string | null;
  /** Street address as a resident would say it, or null. */
  address: string | null;
  /** Id of the utility that owns and services it (the utilities table), or null. */
  ownerUtility: string | null;
  /** Type-specific facts: bin depth and volume, lamp power, shelter capacity... */
  attributes: Record<string, string | number | boolean>;
}

/** A district: code (`03`), names, and its boundary as a GeoJSON Polygon or MultiPolygon. */
export interface DistrictRecord {
  code: string;
  name: string;
  nameEn: string | null;
  boundary: { type: 'Polygon'; coordinates: number[][][] } | { type: 'MultiPolygon'; coordinates: number[][][][] };
}

/** What a part of the twin needs to find an object by its number (look-alike letters, case and dashes ignored). */
export interface ObjectLookup {
  get(number: string): CityObjectRecord | undefined;
}

/** The index the twin keeps in memory, as the parts that change objects see it. */
export interface ObjectStore extends ObjectLookup {
  upsert(object: CityObjectRecord): void;
  remove(number: string): void;
  setDistricts(districts: readonly DistrictRecord[]): void;
}
