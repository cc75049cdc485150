import type { Queryable } from '@city/ingest';
import type { UtilityDefinition } from '../contract/objects.ts';

/** Every utility, by id. */
export async function listUtilities(db: Queryable): Promise<UtilityDefinition[]> {
  const { rows } = await db.query<UtilityDefinition>(
    'SELECT id, name_uk AS "nameUk", name_en AS "nameEn" FROM utilities ORDER BY id',
  );
  return rows;
}

/** Adds the utilities not yet in the table; one the city has renamed keeps its name. Returns how many were added. */
export async function insertUtilitiesIfAbsent(db: Queryable, utilities: readonly UtilityDefinition[]): Promise<number> {
  if (utilities.length === 0) return 0;
  const { rows } = await db.query(
    `INSERT INTO utilities (id, name_uk, name_en)
     SELECT * FROM unnest($1::text[], $2::text[], $3::text[])
     ON CONFLICT (id) DO NOTHING RETURNING id`,
    [utilities.map((u) => u.id), utilities.map((u) => u.nameUk), utilities.map((u) => u.nameEn)],
  );
  return rows.length;
}
