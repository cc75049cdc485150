import type { Alarm, AlarmStreamEvent, Incident, Outage, ReportStreamEvent } from '@city/twin/contract';
import { describe, expect, it } from 'vitest';
import { STORE_LIMITS, WallStore } from './wall-store.ts';

const T0 = Date.parse('2026-11-30T10:00:00Z');

function alarm(id: number, over: Partial<Alarm> = {}): Alarm {
  const at = new Date(T0 + id * 1000).toISOString();
  return {
    id,
    type: 'bin_full',
    severity: 'minor',
    status: 'active',
    acknowledged: false,
    subject: `СМ-01-${String(id).padStart(5, '0')}`,
    objectNumber: `СМ-01-${String(id).padStart(5, '0')}`,
    objectType: 'bin',
    district: '01',
    utility: 'waste',
    devEui: '70b3d50000000001',
    lat: 47.8,
    lon: 35.1,
    ruleId: 'bin-full',
    message: 'Bin full',
    value: 95,
    count: 1,
    raisedAt: at,
    firstReadingAt: at,
    lastReadingAt: at,
    updatedAt: at,
    acknowledgedAt: null,
    acknowledgedBy: null,
    clearedAt: null,
    clearedBy: null,
    assignee: null,
    escalatedAt: null,
    outageId: null,
    ...over,
  };
}

const ev = (eventId: number, action: AlarmStreamEvent['action'], a: Alarm): AlarmStreamEvent => ({
  eventId,
  action,
  alarm: a,
});

function report(
  eventId: number,
  incidentId: number,
  status = 'new',
  action: 'filed' | 'status' = 'filed',
): ReportStreamEvent {
  return {
    eventId,
    action,
    report: {
      incidentId,
      objectNumber: 'ЛК-02-00007',
      objectType: 'manhole',
      category: 'open_manhole',
      status,
      district: '02',
      lat: 47.81,
      lon: 35.12,
      at: new Date(T0).toISOString(),
    },
  };
}

function outage(id: number, status: Outage['status'] = 'active'): Outage {
  return {
    id,
    kind: 'water',
    district: '03',
    severity: 'major',
    status,
    startedAt: new Date(T0).toISOString(),
    updatedAt: new Date(T0).toISOString(),
    clearedAt: null,
    objects: [{ number: 'ЛЧ-03-00001', alarmId: 1, alarmType: 'water_leak', active: true }],
  };
}

describe('the wall store', () => {
  it('applies alarm events in order: raised, acknowledged, cleared', () => {
    const store = new WallStore();
    expect(store.applyAlarm(ev(1, 'raised', alarm(7)))).toBe(true);
    expect(store.state.alarms.get(7)?.acknowledged).toBe(false);
    store.applyAlarm(ev(2, 'acknowledged', alarm(7, { acknowledged: true, acknowledgedBy: 'operator' })));
    expect(store.state.alarms.get(7)?.acknowledged).toBe(true);
    store.applyAlarm(ev(3, 'repeated', alarm(7, { acknowledged: true, count: 4 })));
    expect(store.state.alarms.get(7)?.count).toBe(4);
    store.applyAlarm(ev(4, 'cleared', alarm(7, { status: 'cleared', acknowledged: true })));
    expect(store.state.alarms.has(7)).toBe(false);
  });

  it('drops repeats and events older than what it holds', () => {
    const store = new WallStore();
    store.applyAlarm(ev(5, 'acknowledged', alarm(7, { acknowledged: true })));
    const version = store.state.version;
    // The same event again (a resume replays it), and an older one arriving late.
    expect(store.applyAlarm(ev(5, 'acknowledged', alarm(7, { acknowledged: true })))).toBe(false);
    expect(store.applyAlarm(ev(3, 'raised', alarm(7)))).toBe(false);
    expect(store.state.alarms.get(7)?.acknowledged).toBe(true);
    expect(store.state.version).toBe(version);
    // A cleared alarm is not brought back by a late `raised` of the same alarm.
    store.applyAlarm(ev(9, 'cleared', alarm(7, { status: 'cleared' })));
    expect(store.applyAlarm(ev(6, 'raised', alarm(7)))).toBe(false);
    expect(store.state.alarms.has(7)).toBe(false);
  });

  it('refuses events without usable ids (read as an attacker wrote them)', () => {
    const store = new WallStore();
    expect(store.applyAlarm(ev(0, 'raised', alarm(1)))).toBe(false);
    expect(store.applyAlarm(ev(1.5, 'raised', alarm(2)))).toBe(false);
    expect(store.applyAlarm(ev(3, 'raised', alarm(-4)))).toBe(false);
    expect(
      store.applyAlarm({ eventId: 4, action: 'raised', alarm: { ...alarm(5), id: '5' as unknown as number } }),
    ).toBe(false);
    expect(store.state.alarms.size).toBe(0);
  });

  it('lets events that came while a list was fetched win over the list', () => {
    const store = new WallStore();
    store.loadAlarms([alarm(1), alarm(2), alarm(3)], store.mark());
    expect([...store.state.alarms.keys()].sort()).toEqual([1, 2, 3]);

    const mark = store.mark();
    // While the fetch is on its way: 2 is cleared, 4 is raised, 3 acknowledged.
    store.applyAlarm(ev(10, 'cleared', alarm(2, { status: 'cleared' })));
    store.applyAlarm(ev(11, 'raised', alarm(4)));
    store.applyAlarm(ev(12, 'acknowledged', alarm(3, { acknowledged: true })));
    // The list was read before those: it still has 2 active, knows nothing of 4, has 3 unacknowledged; 1 is gone.
    store.loadAlarms([alarm(2), alarm(3)], mark);
    const alarms = store.state.alarms;
    expect([...alarms.keys()].sort()).toEqual([3, 4]);
    expect(alarms.get(3)?.acknowledged).toBe(true);

    // A later list is the truth again for what no event touched since its mark.
    store.loadAlarms([alarm(3, { acknowledged: true }), alarm(5)], store.mark());
    expect([...store.state.alarms.keys()].sort()).toEqual([3, 5]);
  });

  it('keeps only active alarms from a list, and applies later events to listed ones', () => {
    const store = new WallStore();
    store.loadAlarms([alarm(1), alarm(2, { status: 'cleared' })], store.mark());
    expect([...store.state.alarms.keys()]).toEqual([1]);
    expect(store.applyAlarm(ev(1, 'acknowledged', alarm(1, { acknowledged: true })))).toBe(true);
    expect(store.state.alarms.get(1)?.acknowledged).toBe(true);
  });

  it('caps the alarms it holds, dropping the least urgent and oldest first', () => {
    const limits = { ...STORE_LIMITS, alarms: 3 };
    const store = new WallStore(limits);
    store.applyAlarm(ev(1, 'raised', alarm(1, { severity: 'critical' })));
    store.applyAlarm(ev(2, 'raised', alarm(2, { severity: 'warning' })));
    store.applyAlarm(ev(3, 'raised', alarm(3, { severity: 'warning' })));
    store.applyAlarm(ev(4, 'raised', alarm(4, { severity: 'major' })));
    store.applyAlarm(ev(5, 'raised', alarm(5, { severity: 'minor' })));
    expect([...store.state.alarms.keys()].sort()).toEqual([1, 4, 5]);
    // A list longer than the cap is capped too.
    store.loadAlarms(
      Array.from({ length: 10 }, (_, i) => alarm(100 + i)),
      store.mark(),
    );
    expect(store.state.alarms.size).toBe(3);
    expect([...store.state.alarms.keys()].sort()).toEqual([107, 108, 109]);
  });

  it("keeps residents' open reports; closed ones leave the feed", () => {
    const store = new WallStore();
    store.applyReport(report(1, 50));
    expect(store.state.reports.get(50)?.category).toBe('open_manhole');
    store.applyReport(report(2, 50, 'assigned', 'status'));
    expect(store.state.reports.get(50)?.status).toBe('assigned');
    expect(store.applyReport(report(2, 50, 'assigned', 'status'))).toBe(false);
    store.applyReport(report(3, 50, 'resolved', 'status'));
    expect(store.state.reports.has(50)).toBe(false);
    // A new report on it later is a new incident (a new id); the closed one stays closed.
    expect(store.applyReport(report(1, 50))).toBe(false);
  });

  it('caps reports and tombstones', () => {
    const store = new WallStore({ ...STORE_LIMITS, reports: 2, tombstones: 2 });
    for (let i = 1; i <= 4; i++) store.applyReport(report(i, i));
    expect([...store.state.reports.keys()]).toEqual([3, 4]);
    for (let i = 10; i <= 14; i++) store.applyAlarm(ev(i, 'cleared', alarm(i, { status: 'cleared' })));
    // Memory is bounded: the oldest graves are forgotten.
    // (A replayed `raised` older than the clear: refused while remembered, taken once forgotten.)
    expect(store.applyAlarm(ev(13, 'raised', alarm(14)))).toBe(false);
    expect(store.applyAlarm(ev(5, 'raised', alarm(10)))).toBe(true);
  });

  it('tracks outages and incidents from incident events', () => {
    const store = new WallStore();
    store.applyIncident({ eventId: 1, kind: 'outage', action: 'opened', outage: outage(3) });
    expect(store.state.outages.get(3)?.kind).toBe('water');
    store.applyIncident({ eventId: 2, kind: 'outage', action: 'cleared', outage: outage(3, 'cleared') });
    expect(store.state.outages.has(3)).toBe(false);

    const incident = {
      id: 9,
      objectNumber: 'ДР-01-00002',
      objectType: 'tree',
      category: 'fallen_tree',
      status: 'new',
      lat: 47.8,
      lon: 35.1,
      district: '01',
      lastReportAt: new Date(T0).toISOString(),
    } as Incident;
    store.applyIncident({ eventId: 3, kind: 'incident', action: 'opened', incident });
    expect(store.state.reports.get(9)?.category).toBe('fallen_tree');
    const mark = store.mark();
    store.applyIncident({
      eventId: 4,
      kind: 'incident',
      action: 'updated',
      incident: { ...incident, status: 'duplicate' },
    });
    expect(store.state.reports.has(9)).toBe(false);

    // A list read before the change does not reopen it; closed incidents in a list are left out.
    store.loadIncidents([incident, { ...incident, id: 10, status: 'rejected' }], mark);
    expect([...store.state.reports.keys()]).toEqual([]);
    store.loadIncidents([{ ...incident, id: 11 }], store.mark());
    expect([...store.state.reports.keys()]).toEqual([11]);
    store.loadOutages([outage(5), outage(6, 'cleared')], store.mark());
    expect([...store.state.outages.keys()]).toEqual([5]);
  });

  it('keeps the maps of kinds that did not change (views compare them by identity)', () => {
    const store = new WallStore();
    store.applyAlarm(ev(1, 'raised', alarm(1)));
    const first = store.state;
    store.applyReport(report(2, 7));
    const second = store.state;
    expect(second.alarms).toBe(first.alarms);
    expect(second.outages).toBe(first.outages);
    expect(second.reports).not.toBe(first.reports);
    store.setKpis({} as never);
    expect(store.state.alarms).toBe(first.alarms);
    store.applyAlarm(ev(3, 'acknowledged', alarm(1, { acknowledged: true })));
    expect(store.state.alarms).not.toBe(first.alarms);
    expect(first.alarms.get(1)?.acknowledged).toBe(false);
  });

  it('tells its listeners, with a new snapshot each change', () => {
    const store = new WallStore();
    const seen: number[] = [];
    const stop = store.subscribe((s) => seen.push(s.version));
    const before = store.state;
    store.setStatus('live');
    store.setStatus('live');
    store.applyAlarm(ev(1, 'raised', alarm(1)));
    stop();
    store.setStatus('offline');
    expect(seen).toEqual([1, 2]);
    expect(store.state).not.toBe(before);
    expect(store.state.status).toBe('offline');
  });
});
