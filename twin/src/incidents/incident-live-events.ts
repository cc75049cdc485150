import type { Queryable } from '@city/ingest';
import type { Incident } from '../contract/incidents.ts';
import type { ReportStreamEvent } from '../contract/stream.ts';
import { insertLiveEvents, type LiveEventDraft } from '../stream/live-events-table.ts';
import type { LiveEvent } from '../stream/live-hub.ts';
import { getIncident } from './incidents-table.ts';

/**
 * What the live stream says when residents' reports move: the incident (opened or changed) and a
 * `report` event, in the rooms of the incident's district and object type, scoped to its utility.
 * Written in the transaction of the change; the caller publishes the result after the commit.
 * Reports go out without contact or tracking code: the code is the resident's key to the report.
 */
export async function announceIncident(
  tx: Queryable,
  incidentId: number,
  change: { opened: boolean; report: ReportStreamEvent['action'] },
): Promise<LiveEvent[]> {
  const incident = await getIncident(tx, incidentId);
  if (!incident) return [];
  const scope = { district: incident.district, objectType: incident.objectType, utility: incident.utility };
  const drafts: LiveEventDraft[] = [
    {
      event: 'incident',
      ...scope,
      payload: { kind: 'incident', action: change.opened ? 'opened' : 'updated', incident },
    },
    { event: 'report', ...scope, payload: { action: change.report, report: reportOf(incident) } },
  ];
  return insertLiveEvents(tx, drafts);
}

function reportOf(incident: Incident): ReportStreamEvent['report'] {
  return {
    incidentId: incident.id,
    objectNumber: incident.objectNumber,
    objectType: incident.objectType,
    category: incident.category,
    status: incident.status,
    district: incident.district,
    lat: incident.lat,
    lon: incident.lon,
    at: incident.updatedAt,
  };
}
