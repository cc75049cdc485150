import { isoTime, type Queryable } from '@city/ingest';
import type { IncidentReport } from '../contract/incidents.ts';
import { newTrackingCode } from './tracking-code.ts';

/** The reports table: one row per resident report, each with its own tracking code. */

export interface NewReportRow {
  incidentId: number;
  objectNumber: string;
  category: string;
  description: string | null;
  contact: string | null;
  source: IncidentReport['source'];
}

/** Tries before giving up on a free code: with ~10^14 codes a second try is already rare. */
const CODE_TRIES = 8;

/** Stores a report under a new tracking code (another one when the first is taken). */
export async function insertReport(tx: Queryable, r: NewReportRow): Promise<{ id: number; trackingCode: string }> {
  for (let i = 0; i < CODE_TRIES; i++) {
    const { rows } = await tx.query<{ id: number; trackingCode: string }>(
      `INSERT INTO reports (tracking_code, incident_id, object_number, category, description, contact, source)
       VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (tracking_code) DO NOTHING
       RETURNING id::int AS id, tracking_code AS "trackingCode"`,
      [newTrackingCode(), r.incidentId, r.objectNumber, r.category, r.description, r.contact, r.source],
    );
    if (rows[0]) return rows[0];
  }
  throw new Error(`no free tracking code in ${CODE_TRIES} tries`);
}

/** A report as its tracking code finds it: where it is and which incident it joined, nothing the resident wrote. */
export interface TrackedReport {
  trackingCode: string;
  incidentId: number;
  objectNumber: string;
  category: string;
  createdAt: string;
}

export async function findReportByCode(db: Queryable, trackingCode: string): Promise<TrackedReport | undefined> {
  const { rows } = await db.query<TrackedReport>(
    `SELECT tracking_code AS "trackingCode", incident_id::int AS "incidentId", object_number AS "objectNumber",
            category, ${isoTime('created_at')} AS "createdAt"
       FROM reports WHERE tracking_code = $1`,
    [trackingCode],
  );
  return rows[0];
}

/** An incident's reports, oldest first, as staff see them; `withContact` false leaves contacts out. */
export async function listIncidentReports(
  db: Queryable,
  incidentId: number,
  withContact: boolean,
): Promise<IncidentReport[]> {
  const { rows } = await db.query<
    Omit<IncidentReport, 'photo'> & { photoType: string | null; photoBytes: number | null }
  >(
    `SELECT r.id::int AS id, r.tracking_code AS "trackingCode", ${isoTime('r.created_at')} AS "createdAt", r.source,
            r.description, CASE WHEN $2::boolean THEN r.contact END AS contact,
            p.content_type AS "photoType", p.bytes AS "photoBytes"
       FROM reports r LEFT JOIN report_photos p ON p.report_id = r.id
      WHERE r.incident_id = $1 ORDER BY r.id`,
    [incidentId, withContact],
  );
  return rows.map(({ photoType, photoBytes, ...r }) => ({
    ...r,
    photo:
      photoType === null
        ? null
        : {
            contentType: photoType,
            bytes: photoBytes ?? 0,
            url: `/api/v1/incidents/${incidentId}/reports/${r.id}/photo`,
          },
  }));
}
