import type { Queryable } from '@city/ingest';
import type { PhotoFile } from './report-photo.ts';

/** The report_photos table: a report's photo, apart so that lists of reports never read the bytes. */

export async function insertReportPhoto(tx: Queryable, reportId: number, photo: PhotoFile): Promise<void> {
  await tx.query('INSERT INTO report_photos (report_id, content_type, bytes, data) VALUES ($1, $2, $3, $4)', [
    reportId,
    photo.contentType,
    photo.data.length,
    photo.data,
  ]);
}

/** A report's photo, when the report belongs to `incidentId` and has one. */
export async function getReportPhoto(
  db: Queryable,
  incidentId: number,
  reportId: number,
): Promise<{ contentType: string; data: Uint8Array } | undefined> {
  const { rows } = await db.query<{ contentType: string; data: Uint8Array }>(
    `SELECT p.content_type AS "contentType", p.data FROM report_photos p JOIN reports r ON r.id = p.report_id
      WHERE p.report_id = $1 AND r.incident_id = $2`,
    [reportId, incidentId],
  );
  return rows[0];
}
