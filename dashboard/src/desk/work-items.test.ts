import type { Alarm, Incident } from '@city/twin/contract';
import { describe, expect, it } from 'vitest';
import { mergeCommand, type TrackedCommand } from './command-states.ts';
import {
  compareItems,
  formatDuration,
  matchesFilter,
  NO_FILTER,
  slaClock,
  upsertItem,
  type WorkItem,
} from './work-items.ts';

const NOW = Date.parse('2026-11-30T12:00:00Z');
const minutesAgo = (m: number) => new Date(NOW - m * 60_000).toISOString();

function alarm(id: number, patch: Partial<Alarm> = {}): WorkItem {
  return {
    kind: 'alarm',
    alarm: {
      id,
      type: 'water_leak',
      severity: 'major',
      status: 'active',
      acknowledged: false,
      subject: 'ЛЧ-01-00001',
      objectNumber: 'ЛЧ-01-00001',
      objectType: 'meter_point',
      district: '01',
      utility: 'vodokanal',
      devEui: null,
      lat: 47.8,
      lon: 35.1,
      ruleId: 'water-leak',
      message: 'leak',
      value: 1,
      count: 1,
      raisedAt: minutesAgo(10),
      firstReadingAt: minutesAgo(10),
      lastReadingAt: minutesAgo(10),
      updatedAt: minutesAgo(10),
      acknowledgedAt: null,
      acknowledgedBy: null,
      clearedAt: null,
      clearedBy: null,
      assignee: null,
      escalatedAt: null,
      outageId: null,
      ...patch,
    },
  };
}

function incident(id: number, patch: Partial<Incident> = {}): WorkItem {
  return {
    kind: 'incident',
    incident: {
      id,
      objectNumber: 'ЛК-02-00007',
      objectType: 'manhole',
      category: 'open_manhole',
      status: 'new',
      utility: 'vodokanal',
      assignee: null,
      duplicateOf: null,
      lat: 47.8,
      lon: 35.1,
      district: '02',
      address: 'вул. Соборна, 1',
      reportCount: 1,
      openedAt: minutesAgo(60),
      lastReportAt: minutesAgo(60),
      updatedAt: minutesAgo(60),
      closedAt: null,
      slaDueAt: minutesAgo(-180),
      slaBreached: false,
      ...patch,
    },
  };
}

describe('the work list', () => {
  it('times alarms from their raise and incidents against their due time, overdue once it passes', () => {
    expect(slaClock(alarm(1), NOW)).toEqual({ ageMs: 600_000, leftMs: null, overdue: false });
    expect(slaClock(incident(1), NOW)).toEqual({ ageMs: 3_600_000, leftMs: 10_800_000, overdue: false });
    // Due a minute ago: overdue before the server's flag says so.
    expect(slaClock(incident(2, { slaDueAt: minutesAgo(1) }), NOW)).toMatchObject({ leftMs: -60_000, overdue: true });
    // Closed: no time left to count; late if the server says it was resolved late.
    expect(slaClock(incident(3, { status: 'resolved', slaBreached: true }), NOW)).toMatchObject({
      leftMs: null,
      overdue: true,
    });
  });

  it('filters by status, severity, type or category, district and text', () => {
    const acked = alarm(2, { acknowledged: true, severity: 'critical', district: '03' });
    const cleared = alarm(3, { status: 'cleared' });
    const open = incident(4);
    expect(matchesFilter(alarm(1), NO_FILTER)).toBe(true);
    expect(matchesFilter(cleared, NO_FILTER)).toBe(false);
    expect(matchesFilter(cleared, { ...NO_FILTER, status: 'closed' })).toBe(true);
    expect(matchesFilter(acked, { ...NO_FILTER, status: 'unacknowledged' })).toBe(false);
    expect(matchesFilter(open, { ...NO_FILTER, status: 'unacknowledged' })).toBe(true);
    // Incidents have no severity: a severity filter leaves them out.
    expect(matchesFilter(open, { ...NO_FILTER, severity: 'major' })).toBe(false);
    expect(matchesFilter(acked, { ...NO_FILTER, severity: 'critical' })).toBe(true);
    expect(matchesFilter(open, { ...NO_FILTER, kind: 'incident:open_manhole' })).toBe(true);
    expect(matchesFilter(alarm(1), { ...NO_FILTER, kind: 'incident:open_manhole' })).toBe(false);
    expect(matchesFilter(acked, { ...NO_FILTER, district: '01' })).toBe(false);
    expect(matchesFilter(open, { ...NO_FILTER, search: 'соборна' })).toBe(true);
    expect(matchesFilter(open, { ...NO_FILTER, search: 'ЛЧ-01' })).toBe(false);
  });

  it('puts what nobody has taken first, then overdue incidents, then alarms by severity', () => {
    const items = [
      alarm(1, { acknowledged: true, severity: 'critical' }),
      incident(2, { status: 'acknowledged', slaDueAt: minutesAgo(5) }),
      alarm(3, { severity: 'warning' }),
      alarm(4, { severity: 'critical' }),
    ];
    const order = [...items]
      .sort((a, b) => compareItems(a, b, NOW))
      .map((i) => `${i.kind}:${'alarm' in i ? i.alarm.id : i.incident.id}`);
    expect(order).toEqual(['alarm:4', 'alarm:3', 'incident:2', 'alarm:1']);
  });

  it('keeps the newer copy of an item whichever arrives last', () => {
    const first = new Map<string, WorkItem>();
    const acked = alarm(1, { acknowledged: true, updatedAt: minutesAgo(1) });
    const stale = alarm(1, { acknowledged: false, updatedAt: minutesAgo(10) });
    const held = upsertItem(upsertItem(first, acked), stale);
    expect((held.get('alarm:1') as { alarm: Alarm }).alarm.acknowledged).toBe(true);
  });

  it('says durations in the units a dispatcher reads', () => {
    const units = { s: 's', min: 'min', h: 'h', d: 'd' };
    expect(formatDuration(45_000, units)).toBe('45 s');
    expect(formatDuration(-12 * 60_000, units)).toBe('12 min');
    expect(formatDuration(185 * 60_000, units)).toBe('3 h 05 min');
    expect(formatDuration(52 * 3_600_000, units)).toBe('2 d 4 h');
  });
});

describe('streetlight commands followed by the desk', () => {
  const sent: TrackedCommand = {
    id: 7,
    objectNumber: 'ОП-01-00001',
    devEui: '24e1240000000001',
    action: 'dim',
    level: 40,
    status: 'pending',
    at: '2026-11-30T12:00:00.000Z',
    detail: null,
  };

  it('never goes back to pending once confirmed, whichever order the answer and the event come in', () => {
    const confirmed = { ...sent, status: 'confirmed' as const, at: '2026-11-30T12:01:00.000Z' };
    expect(mergeCommand(mergeCommand(new Map(), confirmed), sent).get(7)?.status).toBe('confirmed');
    expect(mergeCommand(mergeCommand(new Map(), sent), confirmed).get(7)?.status).toBe('confirmed');
  });

  it("keeps the API's detail when an event without one follows", () => {
    const failed = { ...sent, status: 'failed' as const, detail: 'lamp reported off twice' };
    const event = { ...failed, detail: null, at: '2026-11-30T12:02:00.000Z' };
    expect(mergeCommand(mergeCommand(new Map(), failed), event).get(7)?.detail).toBe('lamp reported off twice');
  });
});
