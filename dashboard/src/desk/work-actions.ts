import {
  type Alarm,
  INCIDENT_TRANSITIONS,
  type IncidentDetail,
  type IncidentEvent,
  type IncidentStatus,
} from '@city/twin/contract';
import type { DeskApi } from './desk-api.ts';
import type { WorkItem } from './work-items.ts';

/**
 * What a dispatcher does to an item, each one request whose answer is the item's new state (or,
 * for a comment, the new history entry). Nothing changes on screen before the server answers:
 * the answer and the stream's event of the same change are merged by `upsertItem`.
 */

export function canAcknowledge(item: WorkItem): boolean {
  return item.kind === 'alarm'
    ? item.alarm.status === 'active' && !item.alarm.acknowledged
    : INCIDENT_TRANSITIONS[item.incident.status].includes('acknowledged');
}

export async function acknowledge(call: DeskApi, item: WorkItem): Promise<WorkItem> {
  if (item.kind === 'alarm') {
    return { kind: 'alarm', alarm: await call<Alarm>(`/api/v1/alarms/${item.alarm.id}/ack`, { method: 'POST' }) };
  }
  return transition(call, item.incident.id, { to: 'acknowledged' });
}

export async function assignCrew(call: DeskApi, item: WorkItem, crew: string): Promise<WorkItem> {
  if (item.kind === 'alarm') {
    const alarm = await call<Alarm>(`/api/v1/alarms/${item.alarm.id}/assign`, { body: { assignee: crew || null } });
    return { kind: 'alarm', alarm };
  }
  return transition(call, item.incident.id, { to: 'assigned', assignee: { kind: 'crew', name: crew } });
}

/** Clears an alarm by hand. */
export async function clearAlarm(call: DeskApi, alarm: Alarm): Promise<WorkItem> {
  return { kind: 'alarm', alarm: await call<Alarm>(`/api/v1/alarms/${alarm.id}/clear`, { method: 'POST' }) };
}

export async function moveIncident(call: DeskApi, id: number, to: IncidentStatus): Promise<WorkItem> {
  return transition(call, id, { to });
}

export async function comment(
  call: DeskApi,
  item: WorkItem,
  text: string,
  isPublic: boolean,
): Promise<WorkItem | null> {
  if (item.kind === 'alarm') {
    return {
      kind: 'alarm',
      alarm: await call<Alarm>(`/api/v1/alarms/${item.alarm.id}/comment`, { body: { text } }),
    };
  }
  await call<IncidentEvent>(`/api/v1/incidents/${item.incident.id}/comments`, { body: { text, public: isPublic } });
  return null;
}

async function transition(
  call: DeskApi,
  id: number,
  body: { to: IncidentStatus; assignee?: { kind: 'crew'; name: string } },
): Promise<WorkItem> {
  const {
    events: _events,
    reports: _reports,
    ...incident
  } = await call<IncidentDetail>(`/api/v1/incidents/${id}/transition`, { body });
  return { kind: 'incident', incident };
}
