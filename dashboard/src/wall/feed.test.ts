import type { Alarm } from '@city/twin/contract';
import { describe, expect, it } from 'vitest';
import { ageOf, feedItems, groupFeed } from './feed.ts';
import type { ReportEntry } from './wall-store.ts';

const T0 = Date.parse('2026-11-30T10:00:00Z');
const at = (minutes: number) => new Date(T0 + minutes * 60_000).toISOString();

function alarm(id: number, severity: Alarm['severity'], minutes: number, over: Partial<Alarm> = {}): Alarm {
  return {
    id,
    severity,
    type: 'bin_full',
    status: 'active',
    acknowledged: false,
    subject: `N${id}`,
    objectNumber: `N${id}`,
    objectType: 'bin',
    district: '01',
    raisedAt: at(minutes),
    lat: 1,
    lon: 2,
    devEui: null,
    count: 1,
    ...over,
  } as Alarm;
}

const report = (incidentId: number, minutes: number, over: Partial<ReportEntry> = {}): ReportEntry => ({
  incidentId,
  objectNumber: `R${incidentId}`,
  objectType: 'manhole',
  category: 'open_manhole',
  status: 'new',
  district: '02',
  lat: 1,
  lon: 2,
  at: at(minutes),
  ...over,
});

function state(alarms: Alarm[], reports: ReportEntry[] = []) {
  return {
    alarms: new Map(alarms.map((a) => [a.id, a])),
    reports: new Map(reports.map((r) => [r.incidentId, r])),
  };
}

describe('the feed', () => {
  it('puts the worst first, then the unacknowledged, then the newest; reports between minor and warning', () => {
    const items = feedItems(
      state(
        [
          alarm(1, 'minor', 0),
          alarm(2, 'critical', -30),
          alarm(3, 'minor', 5),
          alarm(4, 'warning', 10),
          alarm(5, 'critical', -10, { acknowledged: true }),
          alarm(6, 'critical', -40),
        ],
        [report(7, 20), report(8, 1, { status: 'assigned' })],
      ),
    );
    expect(items.map((i) => i.key)).toEqual(['a2', 'a6', 'a5', 'a3', 'a1', 'r7', 'r8', 'a4']);
    const r8 = items.find((i) => i.key === 'r8');
    expect(r8).toMatchObject({ kind: 'report', severity: null, acknowledged: true, status: 'assigned' });
  });

  it('groups by category and by district, the group with the worst item first', () => {
    const items = feedItems(
      state(
        [
          alarm(1, 'minor', 0, { type: 'bin_full', district: '01' }),
          alarm(2, 'minor', 1, { type: 'bin_full', district: '02' }),
          alarm(3, 'critical', 2, { type: 'bin_fire', district: '02' }),
          alarm(4, 'warning', 3, { type: 'battery_low', district: null }),
        ],
        [report(5, 0, { category: 'open_manhole', district: '01' })],
      ),
    );
    const byCategory = groupFeed(items, 'category');
    expect(byCategory.map((g) => [g.key, g.items.length, g.worst])).toEqual([
      ['bin_fire', 1, 'critical'],
      ['bin_full', 2, 'minor'],
      ['open_manhole', 1, null],
      ['battery_low', 1, 'warning'],
    ]);
    const byDistrict = groupFeed(items, 'district');
    expect(byDistrict.map((g) => [g.key, g.items.map((i) => i.key)])).toEqual([
      ['02', ['a3', 'a2']],
      ['01', ['a1', 'r5']],
      ['', ['a4']],
    ]);
  });

  it('words ages in the largest whole unit, never negative', () => {
    const now = T0;
    expect(ageOf(at(0), now)).toEqual({ n: 0, unit: 's' });
    expect(ageOf(at(1), now)).toEqual({ n: 0, unit: 's' });
    expect(ageOf(new Date(T0 - 59_000).toISOString(), now)).toEqual({ n: 59, unit: 's' });
    expect(ageOf(at(-5), now)).toEqual({ n: 5, unit: 'min' });
    expect(ageOf(at(-150), now)).toEqual({ n: 2, unit: 'h' });
    expect(ageOf(at(-3 * 1440), now)).toEqual({ n: 3, unit: 'd' });
    expect(ageOf('not a time', now).unit).toBe('d');
  });
});
