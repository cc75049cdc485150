import type { Queryable } from '@city/ingest';
import type { ObjectTypeDefinition } from '../contract/objects.ts';

const COLUMNS = `id, prefix, label_uk AS "labelUk", label_en AS "labelEn", default_owner AS "defaultOwner", attributes`;

/** Every object type, by id. */
export async function listObjectTypes(db: Queryable): Promise<ObjectTypeDefinition[]> {
  const { rows } = await db.query<ObjectTypeDefinition & { defaultOwner: string | null }>(
    `SELECT ${COLUMNS} FROM object_types ORDER BY id`,
  );
  return rows.map(({ defaultOwner, ...t }) => (defaultOwner === null ? t : { ...t, defaultOwner }));
}

/** Adds the types not yet in the table; a type the city has changed is left as it is. Returns how many were added. */
export async function insertObjectTypesIfAbsent(
  db: Queryable,
  types: readonly ObjectTypeDefinition[],
): Promise<number> {
  if (types.length === 0) return 0;
  const { rows } = await db.query(
    `INSERT INTO object_types (id, prefix, label_uk, label_en, default_owner, attributes)
     SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::jsonb[])
     ON CONFLICT (id) DO NOTHING RETURNING id`,
    [
      types.map((t) => t.id),
      types.map((t) => t.prefix),
      types.map((t) => t.labelUk),
      types.map((t) => t.labelEn),
      types.map((t) => t.defaultOwner ?? null),
      types.map((t) => JSON.stringify(t.attributes)),
    ],
  );
  return rows.length;
}
