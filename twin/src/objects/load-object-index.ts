import type { Queryable } from '@city/ingest';
import { listDistricts } from './districts-table.ts';
import { ObjectIndex } from './object-index.ts';
import { objectPages } from './objects-table.ts';

/**
 * The in-memory index of every object in the objects table, with the districts' polygons: what
 * the server builds once at start. Objects are read a page at a time, so the rows of a 100k
 * city are never all held beside the index they go into; one rebuild at the end.
 */
export async function loadObjectIndex(db: Queryable): Promise<ObjectIndex> {
  const index = ObjectIndex.build([], await listDistricts(db));
  for await (const page of objectPages(db, {})) {
    for (const object of page) index.upsert(object);
  }
  index.rebuild();
  return index;
}
