import type { Queryable } from '@city/ingest';
import { CLOSED_STATUSES } from '../contract/incidents.ts';
import type { PublicReport, PublicReportEvent } from '../contract/reports.ts';
import { listPublicEvents } from '../incidents/incident-events-table.ts';
import { getIncident } from '../incidents/incidents-table.ts';
import { findReportByCode } from './reports-table.ts';
import { normalizeTrackingCode } from './tracking-code.ts';

/** How far a chain of duplicates is followed (A repeats B, which repeats C...). */
const MAX_DUPLICATE_HOPS = 5;

/**
 * What a tracking code shows: the status of the incident the report belongs to and its
 * history - status changes and staff's public comments. When the incident was closed as a
 * duplicate, the status is the one of the incident it repeats, and that one's later history
 * follows. Nothing anyone typed into a report, and no contact, is in it.
 */
export async function publicReport(db: Queryable, typedCode: string): Promise<PublicReport | undefined> {
  const code = normalizeTrackingCode(typedCode);
  if (code === undefined) return undefined;
  const report = await findReportByCode(db, code);
  if (!report) return undefined;
  let incident = await getIncident(db, report.incidentId);
  if (!incident) return undefined;
  const history: PublicReportEvent[] = await listPublicEvents(db, incident.id);
  for (let hop = 0; hop < MAX_DUPLICATE_HOPS && incident.status === 'duplicate' && incident.duplicateOf; hop++) {
    const since: string | null = incident.closedAt;
    const original = await getIncident(db, incident.duplicateOf);
    if (!original) break;
    incident = original;
    history.push(...(await listPublicEvents(db, incident.id, since)));
  }
  const closed = CLOSED_STATUSES.includes(incident.status);
  return {
    trackingCode: report.trackingCode,
    incidentId: incident.id,
    objectNumber: report.objectNumber,
    category: report.category,
    status: incident.status,
    closed,
    createdAt: report.createdAt,
    updatedAt: incident.updatedAt,
    expectedBy: closed ? null : incident.slaDueAt,
    history,
  };
}
