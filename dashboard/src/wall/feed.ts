import type { AlarmSeverity } from '@city/twin/contract';
import { SEVERITY_RANK, type WallState } from './wall-store.ts';

/**
 * The wall's feed: active alarms and residents' open reports in one list, worst first and, at
 * equal severity, newest first; optionally grouped by category (alarm type or report category)
 * or by district. Plain functions of the store's state, so the order is tested without a page.
 */

export type FeedGrouping = 'none' | 'category' | 'district';
export const FEED_GROUPINGS: readonly FeedGrouping[] = ['none', 'category', 'district'];

/** Items the feed draws at most: more would not fit a wall, and would cost each redraw. */
export const FEED_SHOWN = 150;

export interface FeedItem {
  /** `a{id}` for an alarm, `r{incidentId}` for a residents' report. */
  key: string;
  kind: 'alarm' | 'report';
  /** Null for a residents' report (no severity of its own; it sorts between minor and warning). */
  severity: AlarmSeverity | null;
  /** The alarm type or the report category. */
  category: string;
  objectNumber: string | null;
  /** Alarms on a device bound to no object say `device:{devEui}`. */
  subject: string;
  objectType: string | null;
  district: string | null;
  /** When it was raised or last reported (ISO). */
  at: string;
  /** Alarm acknowledged, or report taken up (any status past `new`). */
  acknowledged: boolean;
  /** A report's status (`new`, `assigned`...); null for alarms. */
  status: string | null;
  lat: number | null;
  lon: number | null;
  alarmId: number | null;
  incidentId: number | null;
  devEui: string | null;
  /** Readings that met the alarm's rule while active (reports: 1). */
  count: number;
}

export interface FeedGroup {
  /** The category or district code; `''` for no district. */
  key: string;
  items: FeedItem[];
  worst: AlarmSeverity | null;
}

const REPORT_RANK = 2.5;

export function rankOf(item: Pick<FeedItem, 'severity'>): number {
  return item.severity === null ? REPORT_RANK : SEVERITY_RANK[item.severity];
}

/** Every item of the state, worst then newest first. */
export function feedItems(state: Pick<WallState, 'alarms' | 'reports'>): FeedItem[] {
  const items: FeedItem[] = [];
  for (const alarm of state.alarms.values()) {
    items.push({
      key: `a${alarm.id}`,
      kind: 'alarm',
      severity: alarm.severity,
      category: alarm.type,
      objectNumber: alarm.objectNumber,
      subject: alarm.subject,
      objectType: alarm.objectType,
      district: alarm.district,
      at: alarm.raisedAt,
      acknowledged: alarm.acknowledged,
      status: null,
      lat: alarm.lat,
      lon: alarm.lon,
      alarmId: alarm.id,
      incidentId: null,
      devEui: alarm.devEui,
      count: alarm.count,
    });
  }
  for (const report of state.reports.values()) {
    items.push({
      key: `r${report.incidentId}`,
      kind: 'report',
      severity: null,
      category: report.category,
      objectNumber: report.objectNumber,
      subject: report.objectNumber,
      objectType: report.objectType,
      district: report.district,
      at: report.at,
      acknowledged: report.status !== 'new',
      status: report.status,
      lat: report.lat,
      lon: report.lon,
      alarmId: null,
      incidentId: report.incidentId,
      devEui: null,
      count: 1,
    });
  }
  return items.sort(byUrgency);
}

/** Worst first; then not yet acknowledged; then newest. */
export function byUrgency(a: FeedItem, b: FeedItem): number {
  return (
    rankOf(a) - rankOf(b) ||
    Number(a.acknowledged) - Number(b.acknowledged) ||
    timeOf(b.at) - timeOf(a.at) ||
    a.key.localeCompare(b.key)
  );
}

/** The items in groups, the group with the worst item first (then the bigger). Items keep their order. */
export function groupFeed(items: readonly FeedItem[], by: Exclude<FeedGrouping, 'none'>): FeedGroup[] {
  const groups = new Map<string, FeedGroup>();
  for (const item of items) {
    const key = (by === 'category' ? item.category : item.district) ?? '';
    let group = groups.get(key);
    if (!group) {
      group = { key, items: [], worst: item.severity };
      groups.set(key, group);
    }
    group.items.push(item);
    if (rankOf(item) < rankOf({ severity: group.worst })) group.worst = item.severity;
  }
  return [...groups.values()].sort(
    (a, b) =>
      rankOf({ severity: a.worst }) - rankOf({ severity: b.worst }) ||
      b.items.length - a.items.length ||
      a.key.localeCompare(b.key),
  );
}

/** How long ago, in the largest whole unit: `{n, unit}` for the strings to word. */
export function ageOf(at: string, now: number): { n: number; unit: 's' | 'min' | 'h' | 'd' } {
  const seconds = Math.max(0, Math.floor((now - timeOf(at)) / 1000));
  if (seconds < 60) return { n: seconds, unit: 's' };
  if (seconds < 3600) return { n: Math.floor(seconds / 60), unit: 'min' };
  if (seconds < 86_400) return { n: Math.floor(seconds / 3600), unit: 'h' };
  return { n: Math.floor(seconds / 86_400), unit: 'd' };
}

function timeOf(at: string): number {
  const t = Date.parse(at);
  return Number.isFinite(t) ? t : 0;
}
