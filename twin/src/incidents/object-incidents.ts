import type { Db } from '@city/ingest';
import { OBJECT_CARD_INCIDENTS, type ObjectIncident } from '../contract/objects.ts';
import type { ObjectEnricher } from '../objects/objects-routes.ts';
import { listIncidents } from './incidents-table.ts';

/**
 * What staff see on an object's card of the residents' reports on it: its open incidents,
 * newest first. A dispatcher sees their own utility's only, as in the incident list
 * (incident-routes.ts); a dispatcher of no utility, none.
 */
export function incidentsEnricher(db: Db): ObjectEnricher {
  return async (object, principal): Promise<{ incidents: ObjectIncident[] }> => {
    let utility: string | undefined;
    if (principal.role === 'dispatcher') {
      if (principal.utility === null) return { incidents: [] };
      utility = principal.utility;
    }
    const open = await listIncidents(db, {
      objectNumber: object.number,
      open: true,
      utility,
      limit: OBJECT_CARD_INCIDENTS,
      offset: 0,
    });
    return {
      incidents: open.map((i) => ({
        id: i.id,
        category: i.category,
        status: i.status,
        utility: i.utility,
        assignee: i.assignee,
        reportCount: i.reportCount,
        openedAt: i.openedAt,
        lastReportAt: i.lastReportAt,
        slaDueAt: i.slaDueAt,
        slaBreached: i.slaBreached,
      })),
    };
  };
}
