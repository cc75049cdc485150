import { isoTime, type Queryable } from '@city/ingest';
import type { Assignee, Incident, IncidentStatus } from '../contract/incidents.ts';

/** The incidents table: its columns, its row format (the contract's `Incident`) and its queries. */

const COLUMNS = `id::int AS id, object_number AS "objectNumber", object_type AS "objectType", category, status,
  utility, CASE WHEN assignee_kind IS NULL THEN NULL
    ELSE json_build_object('kind', assignee_kind, 'name', assignee) END AS assignee,
  duplicate_of::int AS "duplicateOf", lat, lon, district, address, report_count AS "reportCount",
  ${isoTime('opened_at')} AS "openedAt", ${isoTime('last_report_at')} AS "lastReportAt",
  ${isoTime('updated_at')} AS "updatedAt", ${isoTime('closed_at')} AS "closedAt", ${isoTime('sla_due_at')} AS "slaDueAt",
  (CASE WHEN closed_at IS NULL THEN now() > sla_due_at
    ELSE status = 'resolved' AND closed_at > sla_due_at END) AS "slaBreached"`;

/** Where a new incident stands and who works it, from the object and the category. */
export interface IncidentPlace {
  objectNumber: string;
  objectType: string;
  category: string;
  utility: string | null;
  lat: number;
  lon: number;
  district: string | null;
  address: string | null;
}

/**
 * The incident a new report belongs to: the one collecting reports on this object and category,
 * or a new one. The partial unique index on collecting incidents decides between concurrent
 * reports, in any number of processes: one inserts, the others update the row it inserted.
 * An incident whose latest report is older than the merge window stops collecting first.
 */
export async function openOrJoinIncident(
  tx: Queryable,
  place: IncidentPlace,
  window: { slaHours: number; mergeHours: number },
): Promise<{ id: number; opened: boolean }> {
  await tx.query(
    `UPDATE incidents SET collecting = false
      WHERE object_number = $1 AND category = $2 AND collecting
        AND last_report_at < now() - $3::double precision * interval '1 hour'`,
    [place.objectNumber, place.category, window.mergeHours],
  );
  const { rows } = await tx.query<{ id: number; opened: boolean }>(
    `INSERT INTO incidents (object_number, object_type, category, utility, lat, lon, district, address, sla_due_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, now() + $9::double precision * interval '1 hour')
     ON CONFLICT (object_number, category) WHERE collecting
     DO UPDATE SET report_count = incidents.report_count + 1, last_report_at = now(), updated_at = now()
     RETURNING id::int AS id, report_count = 1 AS opened`,
    [
      place.objectNumber,
      place.objectType,
      place.category,
      place.utility,
      place.lat,
      place.lon,
      place.district,
      place.address,
      window.slaHours,
    ],
  );
  const row = rows[0];
  if (!row) throw new Error('INSERT ... ON CONFLICT DO UPDATE returned no row');
  return row;
}

export async function getIncident(db: Queryable, id: number): Promise<Incident | undefined> {
  const { rows } = await db.query<Incident>(`SELECT ${COLUMNS} FROM incidents WHERE id = $1`, [id]);
  return rows[0];
}

/** An incident's status and owner, locked until the transaction ends: changes to one incident go one at a time. */
export async function lockIncident(
  tx: Queryable,
  id: number,
): Promise<{ id: number; status: IncidentStatus; utility: string | null; duplicateOf: number | null } | undefined> {
  const { rows } = await tx.query<{
    id: number;
    status: IncidentStatus;
    utility: string | null;
    duplicateOf: number | null;
  }>(
    'SELECT id::int AS id, status, utility, duplicate_of::int AS "duplicateOf" FROM incidents WHERE id = $1 FOR UPDATE',
    [id],
  );
  return rows[0];
}

/** The incident `id` repeats: null when it is no duplicate, undefined when there is no incident `id`. */
export async function duplicateTarget(db: Queryable, id: number): Promise<number | null | undefined> {
  const { rows } = await db.query<{ duplicateOf: number | null }>(
    'SELECT duplicate_of::int AS "duplicateOf" FROM incidents WHERE id = $1',
    [id],
  );
  return rows[0]?.duplicateOf;
}

export interface StatusChange {
  status: IncidentStatus;
  closes: boolean;
  assignee?: Assignee | undefined;
  duplicateOf?: number | undefined;
}

/**
 * Sets a locked incident's status. An assignee is recorded; a utility as assignee takes the
 * incident over (its dispatchers work it from now on). A closing status ends collecting.
 */
export async function setIncidentStatus(tx: Queryable, id: number, change: StatusChange): Promise<void> {
  const assignee = change.assignee ?? null;
  await tx.query(
    `UPDATE incidents SET status = $2, updated_at = now(),
        closed_at = CASE WHEN $3::boolean THEN now() ELSE closed_at END,
        collecting = collecting AND NOT $3::boolean,
        assignee_kind = COALESCE($4, assignee_kind), assignee = COALESCE($5, assignee),
        utility = CASE WHEN $4 = 'utility' THEN $5 ELSE utility END,
        duplicate_of = $6
      WHERE id = $1`,
    [id, change.status, change.closes, assignee?.kind ?? null, assignee?.name ?? null, change.duplicateOf ?? null],
  );
}

/** Touches an incident's change time (a comment). */
export async function touchIncident(tx: Queryable, id: number): Promise<void> {
  await tx.query('UPDATE incidents SET updated_at = now() WHERE id = $1', [id]);
}

export interface IncidentFilter {
  ids?: number[] | undefined;
  categories?: string[] | undefined;
  status?: IncidentStatus | undefined;
  open?: boolean | undefined;
  district?: string | undefined;
  /** Only this utility's; `null` matches incidents no utility works. */
  utility?: string | null | undefined;
  objectNumber?: string | undefined;
  openedFrom?: string | undefined;
  openedBefore?: string | undefined;
  limit: number;
  offset: number;
}

/** Incidents, newest first. */
export async function listIncidents(db: Queryable, f: IncidentFilter): Promise<Incident[]> {
  const { rows } = await db.query<Incident>(
    `SELECT ${COLUMNS} FROM incidents
      WHERE ($1::bigint[] IS NULL OR id = ANY($1::bigint[]))
        AND ($2::text[] IS NULL OR category = ANY($2::text[]))
        AND ($3::text IS NULL OR status = $3)
        AND ($4::boolean IS NULL OR (closed_at IS NULL) = $4)
        AND ($5::text IS NULL OR district = $5)
        AND (NOT $6::boolean OR utility IS NOT DISTINCT FROM $7)
        AND ($8::text IS NULL OR object_number = $8)
        AND ($9::timestamptz IS NULL OR opened_at >= $9)
        AND ($10::timestamptz IS NULL OR opened_at < $10)
      ORDER BY opened_at DESC, id DESC LIMIT $11 OFFSET $12`,
    [
      f.ids ?? null,
      f.categories ?? null,
      f.status ?? null,
      f.open ?? null,
      f.district ?? null,
      f.utility !== undefined,
      f.utility ?? null,
      f.objectNumber ?? null,
      f.openedFrom ?? null,
      f.openedBefore ?? null,
      f.limit,
      f.offset,
    ],
  );
  return rows;
}
