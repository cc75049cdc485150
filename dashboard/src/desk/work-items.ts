import { ALARM_SEVERITIES, type Alarm, type AlarmSeverity, CLOSED_STATUSES, type Incident } from '@city/twin/contract';

/**
 * The dispatcher's work list as data: alarms and residents' incidents side by side, the filters
 * that pick among them, their SLA clocks, and how a fresh copy of an item (an action's answer, a
 * stream event) replaces the one held. No DOM here, so it is tested without a browser.
 */
export type WorkItem = { kind: 'alarm'; alarm: Alarm } | { kind: 'incident'; incident: Incident };

/** `open`: active alarms and open incidents; `unacknowledged`: what nobody has taken yet. */
export const STATUS_FILTERS = ['open', 'unacknowledged', 'closed', 'all'] as const;
export type StatusFilter = (typeof STATUS_FILTERS)[number];

export interface WorkFilter {
  status: StatusFilter;
  /** Alarms only: incidents have no severity, so a severity filter leaves them out. */
  severity: AlarmSeverity | '';
  /** `alarm:<type>` or `incident:<category>`. */
  kind: string;
  district: string;
  /** Free text: object number, message, address, assignee. */
  search: string;
}

export const NO_FILTER: WorkFilter = { status: 'open', severity: '', kind: '', district: '', search: '' };

export function itemKey(item: WorkItem): string {
  return item.kind === 'alarm' ? `alarm:${item.alarm.id}` : `incident:${item.incident.id}`;
}

export function itemObject(item: WorkItem): string | null {
  return item.kind === 'alarm' ? item.alarm.objectNumber : item.incident.objectNumber;
}

export function itemDistrict(item: WorkItem): string | null {
  return item.kind === 'alarm' ? item.alarm.district : item.incident.district;
}

export function itemPlace(item: WorkItem): { lat: number; lon: number } | null {
  const { lat, lon } = item.kind === 'alarm' ? item.alarm : item.incident;
  return lat === null || lon === null ? null : { lat, lon };
}

/** When the item was raised or first reported. */
export function itemRaisedAt(item: WorkItem): string {
  return item.kind === 'alarm' ? item.alarm.raisedAt : item.incident.openedAt;
}

export function isOpen(item: WorkItem): boolean {
  return item.kind === 'alarm' ? item.alarm.status === 'active' : !CLOSED_STATUSES.includes(item.incident.status);
}

export function isUntaken(item: WorkItem): boolean {
  return item.kind === 'alarm'
    ? item.alarm.status === 'active' && !item.alarm.acknowledged
    : item.incident.status === 'new';
}

export function matchesStatus(item: WorkItem, status: StatusFilter): boolean {
  switch (status) {
    case 'open':
      return isOpen(item);
    case 'unacknowledged':
      return isUntaken(item);
    case 'closed':
      return !isOpen(item);
    case 'all':
      return true;
  }
}

export function matchesFilter(item: WorkItem, filter: WorkFilter): boolean {
  if (!matchesStatus(item, filter.status)) return false;
  if (filter.severity && (item.kind !== 'alarm' || item.alarm.severity !== filter.severity)) return false;
  if (filter.kind && filter.kind !== kindKey(item)) return false;
  if (filter.district && itemDistrict(item) !== filter.district) return false;
  const search = filter.search.trim().toLowerCase();
  if (search && !searchText(item).includes(search)) return false;
  return true;
}

/** `alarm:bin_full` or `incident:open_manhole`: what the type/category filter compares. */
export function kindKey(item: WorkItem): string {
  return item.kind === 'alarm' ? `alarm:${item.alarm.type}` : `incident:${item.incident.category}`;
}

function searchText(item: WorkItem): string {
  const parts =
    item.kind === 'alarm'
      ? [item.alarm.objectNumber, item.alarm.subject, item.alarm.message, item.alarm.assignee, item.alarm.type]
      : [
          item.incident.objectNumber,
          item.incident.address,
          item.incident.category,
          item.incident.assignee?.name,
          String(item.incident.id),
        ];
  return parts
    .filter((p): p is string => typeof p === 'string')
    .join(' ')
    .toLowerCase();
}

export interface SlaClock {
  /** Since it was raised or first reported. */
  ageMs: number;
  /** Incidents: until the category's time to resolve runs out (negative: overdue). Alarms: null. */
  leftMs: number | null;
  overdue: boolean;
}

export function slaClock(item: WorkItem, now: number): SlaClock {
  const ageMs = Math.max(0, now - Date.parse(itemRaisedAt(item)));
  if (item.kind === 'alarm') return { ageMs, leftMs: null, overdue: false };
  const { incident } = item;
  const closed = CLOSED_STATUSES.includes(incident.status);
  const leftMs = closed ? null : Date.parse(incident.slaDueAt) - now;
  // The server's flag covers one resolved late; an open one is late the moment its time runs out.
  const overdue = incident.slaBreached || (leftMs !== null && leftMs < 0);
  return { ageMs, leftMs, overdue };
}

const SEVERITY_RANK = new Map(ALARM_SEVERITIES.map((s, i) => [s, i]));

/**
 * Worst first: untaken before taken, then overdue incidents, then alarms by severity, then the
 * newest. A dispatcher reads the list from the top.
 */
export function compareItems(a: WorkItem, b: WorkItem, now: number): number {
  const untaken = Number(isUntaken(b)) - Number(isUntaken(a));
  if (untaken !== 0) return untaken;
  const overdue = Number(slaClock(b, now).overdue) - Number(slaClock(a, now).overdue);
  if (overdue !== 0) return overdue;
  const rank = (i: WorkItem) => (i.kind === 'alarm' ? (SEVERITY_RANK.get(i.alarm.severity) ?? 9) : 2);
  const severity = rank(a) - rank(b);
  if (severity !== 0) return severity;
  return Date.parse(itemRaisedAt(b)) - Date.parse(itemRaisedAt(a));
}

function updatedAt(item: WorkItem): number {
  return Date.parse(item.kind === 'alarm' ? item.alarm.updatedAt : item.incident.updatedAt);
}

/**
 * Takes a fresh copy of an item unless the one held is newer: an action's answer and the stream
 * event of the same change may arrive in either order, and a stale one must not undo a newer.
 */
export function upsertItem(items: ReadonlyMap<string, WorkItem>, item: WorkItem): Map<string, WorkItem> {
  const key = itemKey(item);
  const held = items.get(key);
  const next = new Map(items);
  if (!held || updatedAt(item) >= updatedAt(held)) next.set(key, item);
  return next;
}

/** Formats a duration as the desk shows it: `45 s`, `12 min`, `3 h 05 min`, `2 d 4 h`. */
export function formatDuration(ms: number, units: { s: string; min: string; h: string; d: string }): string {
  const s = Math.floor(Math.abs(ms) / 1000);
  if (s < 60) return `${s} ${units.s}`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m} ${units.min}`;
  const h = Math.floor(m / 60);
  if (h < 48) return `${h} ${units.h} ${String(m % 60).padStart(2, '0')} ${units.min}`;
  return `${Math.floor(h / 24)} ${units.d} ${h % 24} ${units.h}`;
}
