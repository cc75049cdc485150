import type { Queryable } from '@city/ingest';
import type { Alarm, AlarmFamily } from '../../contract/alarms.ts';
import type { LiveEventDraft } from '../../stream/live-events-table.ts';
import type { AfterAlarmChange } from '../alarm-changes.ts';
import type { AlarmFamilies } from './alarm-families.ts';
import {
  activeOutageId,
  clearIfDone,
  formsOutage,
  linkAlarms,
  lockOutageKeys,
  openOutage,
  outagesById,
  touchOutage,
} from './outages-table.ts';

type OutageAction = 'opened' | 'updated' | 'cleared';

/**
 * The district roll-up, run by the alarm store in the transaction that changed `changed`: many
 * alarms of one family in one district open one outage (`outages-table.formsOutage`), later ones
 * join it, and it clears when they all have. Returns the outages' stream events ('incident',
 * kind 'outage'), announced after the alarms'. Alarms of no family or no district cost nothing.
 */
export function outageRollUp(families: AlarmFamilies): AfterAlarmChange {
  return async (tx, changed) => {
    const groups = groupByDistrict(families, changed);
    if (groups.length === 0) return [];
    await lockOutageKeys(
      tx,
      groups.map((g) => ({ kind: g.family.kind, district: g.district })),
    );
    const actions = new Map<number, OutageAction>();
    for (const group of groups) {
      const result = await rollUp(tx, group);
      if (result) actions.set(result.id, result.action);
    }
    const outages = await outagesById(tx, [...actions.keys()]);
    return outages.map((outage): LiveEventDraft => {
      const family = families.get(outage.kind);
      return {
        event: 'incident',
        district: outage.district,
        objectType: family?.objectType ?? null,
        utility: family?.utility ?? null,
        payload: { kind: 'outage', action: actions.get(outage.id) as OutageAction, outage },
      };
    });
  };
}

interface DistrictGroup {
  family: AlarmFamily;
  district: string;
  alarms: Alarm[];
}

function groupByDistrict(families: AlarmFamilies, changed: readonly Alarm[]): DistrictGroup[] {
  const groups = new Map<string, DistrictGroup>();
  for (const alarm of changed) {
    const family = families.ofType(alarm.type);
    if (!family || alarm.district === null) continue;
    const key = `${family.kind}\u0000${alarm.district}`;
    const group = groups.get(key) ?? { family, district: alarm.district, alarms: [] };
    group.alarms.push(alarm);
    groups.set(key, group);
  }
  return [...groups.values()];
}

async function rollUp(tx: Queryable, { family, district, alarms }: DistrictGroup) {
  let id = await activeOutageId(tx, { kind: family.kind, district });
  let action: OutageAction | undefined;
  if (id === undefined) {
    const raised = alarms.filter((a) => a.status === 'active').map((a) => a.firstReadingAt);
    if (raised.length === 0 || !(await formsOutage(tx, family, district, raised))) return undefined;
    const outage = await openOutage(tx, family, district);
    id = outage.id;
    if (outage.opened) action = 'opened';
  }
  const joined = await linkAlarms(tx, id, family, district);
  if (action === 'opened') return { id, action };
  const memberCleared = alarms.some((a) => a.status === 'cleared' && a.outageId === id);
  if (memberCleared && (await clearIfDone(tx, id))) return { id, action: 'cleared' as const };
  if (joined === 0 && !memberCleared) return undefined;
  await touchOutage(tx, id);
  return { id, action: 'updated' as const };
}
