import { isoTime, type Queryable } from '@city/ingest';
import type { AlarmFamily, Outage } from '../../contract/alarms.ts';

/**
 * The outages table and the alarms' link to it (alarms.outage_id): its columns, its row format
 * (the contract's `Outage`, with the objects of its alarms) and its queries.
 */

const COLUMNS = `o.id::int AS id, o.kind, o.district, o.severity,
  CASE WHEN o.active THEN 'active' ELSE 'cleared' END AS status,
  ${isoTime('o.started_at')} AS "startedAt", ${isoTime('o.updated_at')} AS "updatedAt",
  ${isoTime('o.cleared_at')} AS "clearedAt",
  COALESCE((SELECT json_agg(json_build_object('number', COALESCE(a.object_number, a.subject), 'alarmId', a.id::int,
      'alarmType', a.alarm_type, 'active', a.active) ORDER BY a.id)
    FROM alarms a WHERE a.outage_id = o.id), '[]'::json) AS objects`;

/** One district and family: where at most one outage is active. */
export interface OutageKey {
  kind: string;
  district: string;
}

/**
 * Holds the district roll-up of each key until the transaction ends: another process deciding
 * about the same district and family waits, then sees this one's alarms and outage. Keys are
 * taken in one order, so two transactions never wait on each other's.
 */
export async function lockOutageKeys(tx: Queryable, keys: readonly OutageKey[]): Promise<void> {
  const names = [...new Set(keys.map((k) => `outage ${k.kind} ${k.district}`))].sort();
  // A function scan returns the array's elements in order, so the locks are taken in that order.
  await tx.query('SELECT pg_advisory_xact_lock(hashtextextended(k, 0)) FROM unnest($1::text[]) AS k', [names]);
}

/** The active outage of a district and family, if there is one. */
export async function activeOutageId(tx: Queryable, key: OutageKey): Promise<number | undefined> {
  const { rows } = await tx.query<{ id: number }>(
    'SELECT id::int AS id FROM outages WHERE active AND district = $1 AND kind = $2',
    [key.district, key.kind],
  );
  return rows[0]?.id;
}

/**
 * Whether the district's active alarms of `family` around any of `times` (first-reading times of
 * alarms just raised) are an outage: enough objects whose first readings lie within the family's
 * window of it, at least one of them raised by a type that opens outages.
 */
export async function formsOutage(
  tx: Queryable,
  family: AlarmFamily,
  district: string,
  times: readonly string[],
): Promise<boolean> {
  const { rows } = await tx.query<{ opens: boolean | null }>(
    `SELECT bool_or(c.objects >= $5 AND c.opening) AS opens
       FROM unnest($1::timestamptz[]) AS t(at)
       CROSS JOIN LATERAL (
         SELECT count(DISTINCT subject) AS objects, bool_or(alarm_type = ANY($4::text[])) AS opening
           FROM alarms
          WHERE active AND district = $2 AND alarm_type = ANY($3::text[])
            AND first_reading_at BETWEEN t.at - $6::int * interval '1 minute' AND t.at + $6::int * interval '1 minute'
       ) AS c`,
    [times, district, family.alarmTypes, family.openedBy ?? family.alarmTypes, family.minObjects, family.withinMinutes],
  );
  return rows[0]?.opens === true;
}

/**
 * Opens the district's outage of `family`, or finds the one open (the partial unique index
 * keeps one active per district and kind, whatever another process did meanwhile).
 */
export async function openOutage(
  tx: Queryable,
  family: AlarmFamily,
  district: string,
): Promise<{ id: number; opened: boolean }> {
  const { rows } = await tx.query<{ id: number }>(
    `INSERT INTO outages (kind, district, severity) VALUES ($1, $2, $3)
     ON CONFLICT (district, kind) WHERE active DO NOTHING RETURNING id::int AS id`,
    [family.kind, district, family.severity],
  );
  const inserted = rows[0];
  if (inserted) return { id: inserted.id, opened: true };
  const id = await activeOutageId(tx, { kind: family.kind, district });
  if (id === undefined) throw new Error(`outage ${family.kind} in ${district}: neither inserted nor found`);
  return { id, opened: false };
}

/**
 * Links the district's active alarms of `family` that belong to no outage yet; returns how many.
 * An alarm another transaction holds is left for that transaction's own roll-up, which follows
 * (it changed the alarm), rather than waited for while this one holds the district's lock.
 */
export async function linkAlarms(tx: Queryable, outageId: number, family: AlarmFamily, district: string) {
  const { rows } = await tx.query<{ id: number }>(
    `UPDATE alarms SET outage_id = $1
      WHERE id IN (SELECT id FROM alarms
                    WHERE active AND outage_id IS NULL AND district = $2 AND alarm_type = ANY($3::text[])
                    FOR UPDATE SKIP LOCKED)
      RETURNING id::int AS id`,
    [outageId, district, family.alarmTypes],
  );
  return rows.length;
}

/** Clears the outage once none of its alarms is active; whether it did. */
export async function clearIfDone(tx: Queryable, outageId: number): Promise<boolean> {
  const { rows } = await tx.query(
    `UPDATE outages SET active = false, cleared_at = now(), updated_at = now()
      WHERE id = $1 AND active AND NOT EXISTS (SELECT 1 FROM alarms WHERE outage_id = $1 AND active)
      RETURNING id`,
    [outageId],
  );
  return rows.length > 0;
}

export async function touchOutage(tx: Queryable, outageId: number): Promise<void> {
  await tx.query('UPDATE outages SET updated_at = now() WHERE id = $1', [outageId]);
}

export async function outagesById(db: Queryable, ids: readonly number[]): Promise<Outage[]> {
  if (ids.length === 0) return [];
  const { rows } = await db.query<Outage>(`SELECT ${COLUMNS} FROM outages o WHERE o.id = ANY($1::bigint[])`, [ids]);
  return rows;
}

export async function getOutage(db: Queryable, id: number): Promise<Outage | undefined> {
  return (await outagesById(db, [id]))[0];
}

export interface OutageFilter {
  status?: 'active' | 'cleared' | undefined;
  district?: string | undefined;
  /** Only these kinds (a dispatcher: their utility's families). */
  kinds?: readonly string[] | undefined;
  limit: number;
  offset: number;
}

/** Outages, newest first. */
export async function listOutages(db: Queryable, f: OutageFilter): Promise<Outage[]> {
  const { rows } = await db.query<Outage>(
    `SELECT ${COLUMNS} FROM outages o
      WHERE ($1::boolean IS NULL OR o.active = $1)
        AND ($2::text IS NULL OR o.district = $2)
        AND ($3::text[] IS NULL OR o.kind = ANY($3::text[]))
      ORDER BY o.started_at DESC, o.id DESC LIMIT $4 OFFSET $5`,
    [f.status === undefined ? null : f.status === 'active', f.district ?? null, f.kinds ?? null, f.limit, f.offset],
  );
  return rows;
}
