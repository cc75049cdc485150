import type { Db } from '@city/ingest';
import type { Alarm } from '../contract/alarms.ts';
import { OBJECT_CARD_ALARMS } from '../contract/objects.ts';
import type { ObjectEnricher } from '../objects/objects-routes.ts';
import { listedUtility } from './alarm-access.ts';
import { listAlarms } from './alarms-table.ts';

/**
 * What staff see on an object's card of its alarms: the active ones, newest first. A dispatcher
 * sees their own utility's only, as in the alarm list; a dispatcher of no utility, none.
 */
export function alarmsEnricher(db: Db): ObjectEnricher {
  return async (object, principal): Promise<{ alarms: Alarm[] }> => {
    const utility = listedUtility(principal, undefined);
    if (utility === 'none') return { alarms: [] };
    const active = await listAlarms(db, {
      active: true,
      objectNumber: object.number,
      utility,
      limit: OBJECT_CARD_ALARMS,
    });
    return { alarms: active.map((a) => a.alarm) };
  };
}
