import type { Db, Queryable } from '@city/ingest';
import type { CityObjectRecord } from './object-record.ts';
import { objectsChangedSince } from './objects-table.ts';

/**
 * Where a look at the objects' changes stands (migrations/003_object_changes.sql): the oldest
 * transaction still running then, as text of an xid8. Every change committed after the look is
 * marked with it or a later one.
 */
export type ChangeMark = string;

/** The counters of object_registry_versions by name: districts, object_types, utilities, objects (TRUNCATEs). */
export type RegistryVersions = Readonly<Record<string, number>>;

export interface ChangeLook {
  mark: ChangeMark;
  versions: RegistryVersions;
}

export interface ObjectChanges extends ChangeLook {
  /** Objects created or changed since the mark, as they are now. */
  upserted: CityObjectRecord[];
  /** Numbers (as stored) of objects deleted since the mark and not in the table now. */
  removed: string[];
}

/** The mark and the counters now, in one snapshot: what a look at the changes starts from. */
export async function lookAtChanges(db: Queryable): Promise<ChangeLook> {
  const { rows } = await db.query<{ mark: string; versions: RegistryVersions | null }>(
    `SELECT pg_snapshot_xmin(pg_current_snapshot())::text AS mark,
            (SELECT jsonb_object_agg(name, version) FROM object_registry_versions) AS versions`,
  );
  const row = rows[0] as { mark: string; versions: RegistryVersions | null };
  return { mark: row.mark, versions: row.versions ?? {} };
}

/**
 * What changed since `since`, all read in one snapshot, with the mark to look from next: a row
 * committed meanwhile is either in this snapshot or at or above the new mark.
 */
export async function objectChangesSince(db: Db, since: ChangeMark): Promise<ObjectChanges> {
  return db.transaction(async (tx) => {
    await tx.query('SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY');
    const look = await lookAtChanges(tx);
    const upserted = await objectsChangedSince(tx, since);
    const { rows } = await tx.query<{ number: string }>(
      `SELECT DISTINCT d.number FROM object_deletions d
        WHERE d.change_xid >= $1::xid8 AND d.change_xid < pg_snapshot_xmax(pg_current_snapshot())
          AND NOT EXISTS (SELECT 1 FROM objects o WHERE o.number_key = d.number_key)`,
      [since],
    );
    return { ...look, upserted, removed: rows.map((r) => r.number) };
  });
}

/** Forgets deletions older than `hours`; returns how many. */
export async function pruneObjectDeletions(db: Queryable, hours: number): Promise<number> {
  const { rows } = await db.query<{ n: number }>(
    `WITH pruned AS (DELETE FROM object_deletions WHERE deleted_at < now() - make_interval(hours => $1::int) RETURNING 1)
     SELECT count(*)::int AS n FROM pruned`,
    [hours],
  );
  return rows[0]?.n ?? 0;
}
