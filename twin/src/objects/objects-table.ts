import { numberArray, type Queryable, textArray } from '@city/ingest';
import { numberKey } from '../contract/object-number.ts';
import type { CityObjectRecord } from './object-record.ts';

const COLUMNS = 'number, type, lat, lon, district, address, owner_utility AS "ownerUtility", attributes';

/** Rows per INSERT: big enough that 100k objects are 20 statements, small enough to bound a statement's memory. */
const CHUNK = 5_000;

/** Every object, by number: what the in-memory index is built from. */
export async function listObjects(db: Queryable): Promise<CityObjectRecord[]> {
  const { rows } = await db.query<CityObjectRecord>(`SELECT ${COLUMNS} FROM objects ORDER BY number`);
  return rows;
}

/** One object by its number as typed (see numberKey). */
export async function getObject(db: Queryable, number: string): Promise<CityObjectRecord | undefined> {
  const { rows } = await db.query<CityObjectRecord>(`SELECT ${COLUMNS} FROM objects WHERE number_key = $1`, [
    numberKey(number),
  ]);
  return rows[0];
}

/**
 * Objects written by transaction `since` (an xid8 as text) or a later one: what another process
 * changed since it last looked (object-changes-table.ts). A mark at or beyond the snapshot's
 * xmax can only be a row restored from another cluster's dump; it is left until this cluster's
 * transactions pass it, rather than read at every look.
 */
export async function objectsChangedSince(db: Queryable, since: string): Promise<CityObjectRecord[]> {
  const { rows } = await db.query<CityObjectRecord>(
    `SELECT ${COLUMNS} FROM objects
      WHERE change_xid >= $1::xid8 AND change_xid < pg_snapshot_xmax(pg_current_snapshot())`,
    [since],
  );
  return rows;
}

export async function countObjects(db: Queryable): Promise<number> {
  const { rows } = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM objects');
  return rows[0]?.n ?? 0;
}

export interface UpsertResult {
  created: number;
  updated: number;
  /** The objects created or changed, each with its number as stored: an object already stored
   *  under a look-alike spelling keeps that spelling. */
  changed: CityObjectRecord[];
}

/**
 * Creates or updates objects by number key, in statements of CHUNK rows: run it in a
 * transaction to write all or none. An object that is already stored exactly so is not
 * written again (its updated_at stays). The records' keys must be distinct.
 */
export async function upsertObjects(db: Queryable, records: readonly CityObjectRecord[]): Promise<UpsertResult> {
  const result: UpsertResult = { created: 0, updated: 0, changed: [] };
  for (let from = 0; from < records.length; from += CHUNK) {
    const chunk = records.slice(from, from + CHUNK);
    const keys = chunk.map((r) => numberKey(r.number));
    const { rows } = await db.query<{ number: string; key: string; created: boolean }>(
      `INSERT INTO objects AS o (number, number_key, type, lat, lon, district, address, owner_utility, attributes)
       SELECT number, number_key, type, lat, lon, district, address, owner_utility, attributes
         FROM unnest($1::text[], $2::text[], $3::text[], $4::float8[], $5::float8[], $6::text[],
                     $7::text[], $8::text[], $9::jsonb[])
           AS r(number, number_key, type, lat, lon, district, address, owner_utility, attributes)
       ON CONFLICT (number_key) DO UPDATE SET type = excluded.type, lat = excluded.lat, lon = excluded.lon,
         district = excluded.district, address = excluded.address, owner_utility = excluded.owner_utility,
         attributes = excluded.attributes, updated_at = now()
       WHERE (o.type, o.lat, o.lon, o.district, o.address, o.owner_utility, o.attributes)
         IS DISTINCT FROM (excluded.type, excluded.lat, excluded.lon, excluded.district, excluded.address,
                           excluded.owner_utility, excluded.attributes)
       RETURNING o.number, o.number_key AS key, (xmax = 0) AS created`,
      [
        textArray(chunk.map((r) => r.number)),
        textArray(keys),
        textArray(chunk.map((r) => r.type)),
        numberArray(chunk.map((r) => r.lat)),
        numberArray(chunk.map((r) => r.lon)),
        textArray(chunk.map((r) => r.district)),
        textArray(chunk.map((r) => r.address)),
        textArray(chunk.map((r) => r.ownerUtility)),
        textArray(chunk.map((r) => JSON.stringify(r.attributes))),
      ],
    );
    // Only what was written comes back, by key; the rest of each record is the caller's.
    const byKey = new Map(chunk.map((r, i) => [keys[i] as string, r]));
    for (const { number, key, created } of rows) {
      if (created) result.created++;
      else result.updated++;
      result.changed.push({ ...(byKey.get(key) as CityObjectRecord), number });
    }
  }
  return result;
}

/** Removes one object by its number as typed; returns its number as stored, or undefined. */
export async function deleteObject(db: Queryable, number: string): Promise<string | undefined> {
  const { rows } = await db.query<{ number: string }>('DELETE FROM objects WHERE number_key = $1 RETURNING number', [
    numberKey(number),
  ]);
  return rows[0]?.number;
}

/** Removes every object whose key is not in `keep` (an import that replaces the registry); returns their numbers. */
export async function deleteObjectsNotIn(db: Queryable, keep: readonly string[]): Promise<string[]> {
  // NOT EXISTS over unnest plans as a hash anti-join; `<> ALL` would compare every row with every key.
  const { rows } = await db.query<{ number: string }>(
    `DELETE FROM objects o
      WHERE NOT EXISTS (SELECT 1 FROM unnest($1::text[]) AS k(key) WHERE k.key = o.number_key)
      RETURNING number`,
    [textArray(keep)],
  );
  return rows.map((r) => r.number);
}

export interface ObjectFilter {
  type?: string | undefined;
  district?: string | undefined;
}

/** The attribute names the filtered objects carry, sorted: an export's CSV columns. */
export async function attributeNames(db: Queryable, filter: ObjectFilter): Promise<string[]> {
  const { rows } = await db.query<{ name: string }>(
    `SELECT DISTINCT jsonb_object_keys(attributes) AS name FROM objects
      WHERE ($1::text IS NULL OR type = $1) AND ($2::text IS NULL OR district = $2) ORDER BY name`,
    [filter.type ?? null, filter.district ?? null],
  );
  return rows.map((r) => r.name);
}

/**
 * Objects in pages of `pageSize`, by number: an export of 100k objects never holds more than
 * one page of rows at a time. Keyset pages, so each page is one index range scan.
 */
export async function* objectPages(
  db: Queryable,
  filter: ObjectFilter,
  pageSize = 5_000,
): AsyncGenerator<CityObjectRecord[]> {
  let after: string | null = null;
  for (;;) {
    const { rows }: { rows: CityObjectRecord[] } = await db.query<CityObjectRecord>(
      `SELECT ${COLUMNS} FROM objects
        WHERE ($1::text IS NULL OR number > $1) AND ($2::text IS NULL OR type = $2)
          AND ($3::text IS NULL OR district = $3)
        ORDER BY number LIMIT $4`,
      [after, filter.type ?? null, filter.district ?? null, pageSize],
    );
    if (rows.length > 0) yield rows;
    if (rows.length < pageSize) return;
    after = (rows[rows.length - 1] as CityObjectRecord).number;
  }
}
