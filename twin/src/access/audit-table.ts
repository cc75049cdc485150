import { isoTime, type Queryable } from '@city/ingest';
import type { AuditEntry, AuditQuery } from '../contract/staff.ts';

export type NewAuditEntry = Omit<AuditEntry, 'id' | 'at'>;

export async function insertAuditEntry(db: Queryable, e: NewAuditEntry): Promise<void> {
  await db.query('INSERT INTO audit_log (actor, role, action, target, ip, status) VALUES ($1, $2, $3, $4, $5, $6)', [
    e.actor,
    e.role,
    e.action,
    e.target,
    e.ip,
    e.status,
  ]);
}

/** Newest first, optionally one actor's; `beforeId` pages back. */
export async function listAuditEntries(db: Queryable, q: AuditQuery): Promise<AuditEntry[]> {
  const { rows } = await db.query<AuditEntry>(
    `SELECT id::int AS id, ${isoTime('at')} AS at, actor, role, action, target, ip, status FROM audit_log
      WHERE ($1::text IS NULL OR actor = $1) AND ($2::bigint IS NULL OR id < $2)
      ORDER BY id DESC LIMIT $3`,
    [q.actor ?? null, q.beforeId ?? null, q.limit],
  );
  return rows;
}
