import { isoTime, type PrincipalRole, type Queryable } from '@city/ingest';
import type { ApiKeyInfo } from '../contract/staff.ts';

const COLUMNS = `id::int AS id, name, role, utility, created_by AS "createdBy", ${isoTime('created_at')} AS "createdAt",
  ${isoTime('revoked_at')} AS "revokedAt"`;

export async function insertApiKey(
  db: Queryable,
  k: { name: string; keyHash: string; role: PrincipalRole; utility: string | null; createdBy: string },
): Promise<ApiKeyInfo> {
  const { rows } = await db.query<ApiKeyInfo>(
    `INSERT INTO api_keys (name, key_hash, role, utility, created_by) VALUES ($1, $2, $3, $4, $5) RETURNING ${COLUMNS}`,
    [k.name, k.keyHash, k.role, k.utility, k.createdBy],
  );
  return rows[0] as ApiKeyInfo;
}

/** The live (not revoked) key with this hash. */
export async function findLiveApiKey(db: Queryable, keyHash: string): Promise<ApiKeyInfo | undefined> {
  const { rows } = await db.query<ApiKeyInfo>(
    `SELECT ${COLUMNS} FROM api_keys WHERE key_hash = $1 AND revoked_at IS NULL`,
    [keyHash],
  );
  return rows[0];
}

export async function listApiKeys(db: Queryable): Promise<ApiKeyInfo[]> {
  const { rows } = await db.query<ApiKeyInfo>(`SELECT ${COLUMNS} FROM api_keys ORDER BY id`);
  return rows;
}

/** Revokes a key; undefined when there is no such key. */
export async function revokeApiKey(db: Queryable, id: number): Promise<ApiKeyInfo | undefined> {
  const { rows } = await db.query<ApiKeyInfo>(
    `UPDATE api_keys SET revoked_at = coalesce(revoked_at, now()) WHERE id = $1 RETURNING ${COLUMNS}`,
    [id],
  );
  return rows[0];
}
