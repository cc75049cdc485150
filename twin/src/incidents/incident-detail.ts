import type { Principal, Queryable } from '@city/ingest';
import type { IncidentDetail } from '../contract/incidents.ts';
import { listIncidentReports } from '../reports/reports-table.ts';
import { seesContacts } from './incident-access.ts';
import { listIncidentEvents } from './incident-events-table.ts';
import { getIncident } from './incidents-table.ts';

/** An incident with its history and its reports, as `principal` may see them (contacts to those who act). */
export async function incidentDetail(
  db: Queryable,
  id: number,
  principal: Principal | undefined,
): Promise<IncidentDetail | undefined> {
  const incident = await getIncident(db, id);
  if (!incident) return undefined;
  const [events, reports] = await Promise.all([
    listIncidentEvents(db, id),
    listIncidentReports(db, id, seesContacts(principal)),
  ]);
  return { ...incident, events, reports };
}
