import { ApiError, type Db } from '@city/ingest';
import type { ApiErrorCode } from '../contract/api-errors.ts';
import type { IncidentReport } from '../contract/incidents.ts';
import { insertIncidentEvent } from '../incidents/incident-events-table.ts';
import { announceIncident } from '../incidents/incident-live-events.ts';
import { openOrJoinIncident } from '../incidents/incidents-table.ts';
import type { CityObjectRecord } from '../objects/object-record.ts';
import type { LiveHub } from '../stream/live-hub.ts';
import type { ReportCategories } from './report-categories.ts';
import type { PhotoFile } from './report-photo.ts';
import { insertReportPhoto } from './report-photos-table.ts';
import { insertReport } from './reports-table.ts';

export interface ReportInput {
  object: CityObjectRecord;
  category: string;
  description?: string | undefined;
  contact?: string | undefined;
  photo?: PhotoFile | undefined;
  source: IncidentReport['source'];
}

export interface FiledReport {
  id: number;
  trackingCode: string;
  incidentId: number;
  /** True when this report opened the incident, false when it joined an open one. */
  openedIncident: boolean;
}

/**
 * Files a resident's report, whichever door it came through (POST /api/v1/reports, Open311):
 * it joins the incident collecting reports on the same object and category, or opens one at the
 * object's position, owned by the object's utility (else the category's). All in one transaction;
 * the live stream hears of it (`hub`) once it commits.
 */
export async function fileReport(
  db: Db,
  categories: ReportCategories,
  r: ReportInput,
  hub: LiveHub,
): Promise<FiledReport> {
  const category = categories.get(r.category);
  if (!category) {
    throw new ApiError<ApiErrorCode>(
      400,
      'bad_request',
      `unknown category ${JSON.stringify(r.category)}; one of ${categories.list.map((c) => c.id).join(', ')}`,
    );
  }
  const { object } = r;
  const filed = await db.transaction(async (tx) => {
    const incident = await openOrJoinIncident(
      tx,
      {
        objectNumber: object.number,
        objectType: object.type,
        category: category.id,
        utility: object.ownerUtility ?? category.utility,
        lat: object.lat,
        lon: object.lon,
        district: object.district,
        address: object.address,
      },
      category,
    );
    if (incident.opened) {
      await insertIncidentEvent(tx, {
        incidentId: incident.id,
        kind: 'status',
        status: 'new',
        actor: null,
      });
    }
    const report = await insertReport(tx, {
      incidentId: incident.id,
      objectNumber: object.number,
      category: category.id,
      description: r.description ?? null,
      contact: r.contact ?? null,
      source: r.source,
    });
    if (r.photo) await insertReportPhoto(tx, report.id, r.photo);
    await insertIncidentEvent(tx, { incidentId: incident.id, kind: 'report', actor: null, reportId: report.id });
    const events = await announceIncident(tx, incident.id, { opened: incident.opened, report: 'filed' });
    return { ...report, incidentId: incident.id, openedIncident: incident.opened, events };
  });
  hub.publish(filed.events);
  return {
    id: filed.id,
    trackingCode: filed.trackingCode,
    incidentId: filed.incidentId,
    openedIncident: filed.openedIncident,
  };
}
