/** Where a row of an import file is: a GeoJSON feature's index, or a CSV file's line. */
export type Origin = { feature: number } | { row: number };

/**
 * One object as a file gives it, before any check: GeoJSON values as parsed, CSV cells as text
 * (`text`: each is read by the kind its field or attribute has; an empty cell is no value).
 */
export interface RawObject {
  at: Origin;
  text: boolean;
  /** CSV separated by semicolons, as spreadsheets in a comma-decimal locale (Ukrainian) write it: `47,84`. */
  decimalComma?: boolean;
  number: unknown;
  type: unknown;
  lat: unknown;
  lon: unknown;
  district: unknown;
  address: unknown;
  ownerUtility: unknown;
  attributes: [name: string, value: unknown][];
}
