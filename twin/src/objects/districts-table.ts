import { type Queryable, textArray } from '@city/ingest';
import type { DistrictRecord } from './object-record.ts';

const COLUMNS = 'code, name, name_en AS "nameEn", boundary';

export async function listDistricts(db: Queryable): Promise<DistrictRecord[]> {
  const { rows } = await db.query<DistrictRecord>(`SELECT ${COLUMNS} FROM districts ORDER BY code`);
  return rows;
}

/** Creates or replaces districts (name and boundary) by code, in one statement. */
export async function upsertDistricts(db: Queryable, districts: readonly DistrictRecord[]): Promise<void> {
  if (districts.length === 0) return;
  await db.query(
    `INSERT INTO districts (code, name, name_en, boundary)
     SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::jsonb[])
     ON CONFLICT (code) DO UPDATE SET name = excluded.name, name_en = excluded.name_en, boundary = excluded.boundary`,
    [
      textArray(districts.map((d) => d.code)),
      textArray(districts.map((d) => d.name)),
      textArray(districts.map((d) => d.nameEn)),
      textArray(districts.map((d) => JSON.stringify(d.boundary))),
    ],
  );
}

/** Removes the districts not in `keep` that no object lies in any more; returns their codes. */
export async function deleteUnusedDistricts(db: Queryable, keep: readonly string[]): Promise<string[]> {
  const { rows } = await db.query<{ code: string }>(
    `DELETE FROM districts d
      WHERE NOT (d.code = ANY($1::text[]))
        AND NOT EXISTS (SELECT 1 FROM objects o WHERE o.district = d.code)
      RETURNING code`,
    [textArray(keep)],
  );
  return rows.map((r) => r.code);
}
