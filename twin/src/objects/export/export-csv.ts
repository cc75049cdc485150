import type { Queryable } from '@city/ingest';
import { stringify } from 'csv-stringify/sync';
import { CSV_COLUMNS } from '../../contract/objects.ts';
import type { CityObjectRecord } from '../object-record.ts';
import { attributeNames, type ObjectFilter, objectPages } from '../objects-table.ts';

/** A row's cells, in the header's order: no value is an empty cell. */
function cells(o: CityObjectRecord, attributes: readonly string[]): string[] {
  const own = [o.number, o.type, String(o.lat), String(o.lon), o.district ?? '', o.address ?? '', o.ownerUtility ?? ''];
  return [...own, ...attributes.map((name) => (Object.hasOwn(o.attributes, name) ? String(o.attributes[name]) : ''))];
}

/**
 * The registry as CSV, a page of objects at a time: the import's columns, then one column per
 * attribute the exported objects carry. Numbers are written as JavaScript writes them, which
 * reads back to the same double.
 */
export async function* exportCsv(db: Queryable, filter: ObjectFilter): AsyncGenerator<string> {
  const attributes = await attributeNames(db, filter);
  yield stringify([[...CSV_COLUMNS, ...attributes]]);
  for await (const page of objectPages(db, filter)) {
    yield stringify(page.map((o) => cells(o, attributes)));
  }
}
