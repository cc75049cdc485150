import { isoTime, type Queryable } from '@city/ingest';
import type { IncidentEvent, IncidentStatus } from '../contract/incidents.ts';
import type { PublicReportEvent } from '../contract/reports.ts';

/** The incident_events table: each incident's history of status changes, comments and reports joining it. */

const COLUMNS = `id::int AS id, ${isoTime('at')} AS at, kind, from_status AS "fromStatus", status, comment, public,
  actor, report_id::int AS "reportId"`;

export interface NewIncidentEvent {
  incidentId: number;
  kind: IncidentEvent['kind'];
  fromStatus?: IncidentStatus | null;
  status?: IncidentStatus | null;
  comment?: string | null;
  public?: boolean;
  actor: string | null;
  reportId?: number | null;
}

export async function insertIncidentEvent(tx: Queryable, e: NewIncidentEvent): Promise<IncidentEvent> {
  const { rows } = await tx.query<IncidentEvent>(
    `INSERT INTO incident_events (incident_id, kind, from_status, status, comment, public, actor, report_id)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING ${COLUMNS}`,
    [
      e.incidentId,
      e.kind,
      e.fromStatus ?? null,
      e.status ?? null,
      e.comment ?? null,
      e.public ?? false,
      e.actor,
      e.reportId ?? null,
    ],
  );
  return rows[0] as IncidentEvent;
}

/** The whole history, for staff, oldest first. */
export async function listIncidentEvents(db: Queryable, incidentId: number): Promise<IncidentEvent[]> {
  const { rows } = await db.query<IncidentEvent>(
    `SELECT ${COLUMNS} FROM incident_events WHERE incident_id = $1 ORDER BY id`,
    [incidentId],
  );
  return rows;
}

/**
 * What the residents who reported an incident see, oldest first, from `since` on: status changes
 * (their comment only when public) and public comments; never who did it.
 */
export async function listPublicEvents(
  db: Queryable,
  incidentId: number,
  since: string | null = null,
): Promise<PublicReportEvent[]> {
  const { rows } = await db.query<PublicReportEvent>(
    `SELECT ${isoTime('at')} AS at, status, CASE WHEN public THEN comment END AS comment FROM incident_events
      WHERE incident_id = $1 AND ($2::timestamptz IS NULL OR at >= $2)
        AND (kind = 'status' OR (kind = 'comment' AND public))
      ORDER BY id`,
    [incidentId, since],
  );
  return rows;
}

/** Each incident's latest public comment (Open311's status_notes). */
export async function latestPublicComments(db: Queryable, incidentIds: number[]): Promise<Map<number, string>> {
  if (incidentIds.length === 0) return new Map();
  const { rows } = await db.query<{ incidentId: number; comment: string }>(
    `SELECT DISTINCT ON (incident_id) incident_id::int AS "incidentId", comment FROM incident_events
      WHERE incident_id = ANY($1::bigint[]) AND public AND comment IS NOT NULL
      ORDER BY incident_id, id DESC`,
    [incidentIds],
  );
  return new Map(rows.map((r) => [r.incidentId, r.comment]));
}
