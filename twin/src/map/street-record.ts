/** A street as the twin stores it (migrations/006_streets.sql): a name and a LineString of [lon, lat]. */
export interface StreetRecord {
  name: string;
  district: string | null;
  line: [number, number][];
}
