import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { type Db, migrate } from '@city/ingest';
import { afterAll, describe, expect, it } from 'vitest';
import { ENGINES } from '../../../test/engines.ts';
import type { IncidentStreamEvent } from '../../contract/stream.ts';
import { migrateTwin } from '../../migrate.ts';
import type { CityObjectRecord, ObjectLookup } from '../../objects/object-record.ts';
import type { LiveEvent } from '../../stream/live-hub.ts';
import type { AlarmSignal } from '../alarm-signal.ts';
import { applySignals } from '../alarm-store.ts';
import { readBuiltinRules } from '../rules/alarm-rules-seed.ts';
import { AlarmFamilies } from './alarm-families.ts';
import { outageRollUp } from './outage-roll-up.ts';

const T0 = Date.parse('2026-03-01T10:00:00.000Z');
const MINUTE = 60_000;
const WATER = {
  burst: { id: 'meter-burst', alarmType: 'water_burst', severity: 'critical' },
  leak: { id: 'meter-leak', alarmType: 'water_leak', severity: 'major' },
} as const;

describe.each(ENGINES)('district outages on %s', async (engine, open) => {
  const db = await open();
  await migrate(db);
  await migrateTwin(db);
  // Two processes: on PostgreSQL a second pool of connections; PGlite has one connection.
  const other: Db = engine === 'PGlite' ? db : await open();
  afterAll(async () => {
    if (other !== db) await other.close();
    await db.close();
  });
  const afterChange = outageRollUp(AlarmFamilies.load());

  // Each test its own district, so runs on a shared database do not meet.
  const run = randomUUID().slice(0, 8);
  let districts = 0;
  const records = new Map<string, CityObjectRecord>();
  const objects: ObjectLookup = { get: (number) => records.get(number) };
  const newDistrict = () => `d${run}-${++districts}`;
  const meters = (district: string, count: number) =>
    Array.from({ length: count }, (_, i) => {
      const number = `${district}-m${i + 1}`;
      records.set(number, {
        number,
        type: 'meter_point',
        lat: 47.85,
        lon: 35.15,
        district,
        address: null,
        ownerUtility: 'vodokanal',
        attributes: {},
      });
      return number;
    });
  const signal = (
    subject: string,
    readingMs: number,
    rule: AlarmSignal['rule'] = WATER.burst,
    action: AlarmSignal['action'] = 'raise',
  ): AlarmSignal => ({
    action,
    rule,
    subject,
    objectNumber: subject,
    devEui: 'a1b2c3d4e5f60718',
    readingMs,
    value: 1,
    message: `${rule.alarmType} flag`,
  });
  const apply = (signals: AlarmSignal[], through: Db = db) => applySignals(through, signals, objects, { afterChange });
  const outageEvents = (events: LiveEvent[]) =>
    events.flatMap((e) => (e.event === 'incident' && e.payload.kind === 'outage' ? [e] : []));
  type OutageEvent = Extract<IncidentStreamEvent, { kind: 'outage' }>;
  const payload = (e: LiveEvent | undefined) => e?.payload as OutageEvent;
  const outagesIn = async (district: string) =>
    (
      await db.query<{ id: number; active: boolean; members: number }>(
        `SELECT o.id::int AS id, o.active, (SELECT count(*)::int FROM alarms a WHERE a.outage_id = o.id) AS members
           FROM outages o WHERE district = $1 ORDER BY id`,
        [district],
      )
    ).rows;

  it('opens one outage when the fifth object of a district alarms within the window, listing them all; later alarms join it', async () => {
    const district = newDistrict();
    const [m1, m2, m3, m4, m5, m6] = meters(district, 6) as [string, string, string, string, string, string];
    const before = await apply([
      signal(m1, T0, WATER.burst),
      signal(m2, T0 + 2 * MINUTE, WATER.leak),
      signal(m3, T0 + 5 * MINUTE, WATER.leak),
      // Two alarms of one object are one object.
      signal(m3, T0 + 5 * MINUTE, WATER.burst),
    ]);
    expect(outageEvents(before)).toEqual([]);
    expect(outageEvents(await apply([signal(m4, T0 + 8 * MINUTE, WATER.leak)]))).toEqual([]);

    const opening = await apply([signal(m5, T0 + 9 * MINUTE, WATER.leak)]);
    const [opened] = outageEvents(opening);
    expect(outageEvents(opening)).toHaveLength(1);
    // After the alarm that completed it, in the same transaction's log.
    expect(opening.map((e) => e.event)).toEqual(['alarm', 'incident']);
    expect(opened).toMatchObject({ district, utility: 'vodokanal', objectType: 'meter_point' });
    expect(payload(opened)).toMatchObject({
      kind: 'outage',
      action: 'opened',
      outage: { kind: 'water', district, severity: 'critical', status: 'active', clearedAt: null },
    });
    const listed = payload(opened).outage.objects;
    expect(listed).toHaveLength(6);
    expect(new Set(listed.map((o) => o.number))).toEqual(new Set([m1, m2, m3, m4, m5]));
    expect(listed.every((o) => o.active)).toBe(true);
    expect(payload(opened).eventId).toBe(opened?.id);

    const joining = outageEvents(await apply([signal(m6, T0 + 3 * 60 * MINUTE, WATER.leak)]));
    expect(joining.map((e) => payload(e).action)).toEqual(['updated']);
    expect(payload(joining[0]).outage.id).toBe(payload(opened).outage.id);
    expect(payload(joining[0]).outage.objects.map((o) => o.number)).toContain(m6);
    // A repeat changes no outage.
    expect(outageEvents(await apply([signal(m6, T0 + 4 * 60 * MINUTE, WATER.leak)]))).toEqual([]);
    expect(await outagesIn(district)).toEqual([{ id: payload(opened).outage.id, active: true, members: 7 }]);
  });

  it('clears when its last alarm clears, and a new wave opens a new outage', async () => {
    const district = newDistrict();
    const numbers = meters(district, 5);
    const raised = outageEvents(await apply(numbers.map((m, i) => signal(m, T0 + i * MINUTE))));
    expect(raised.map((e) => payload(e).action)).toEqual(['opened']);
    const id = payload(raised[0]).outage.id;

    const clear = (m: string) => signal(m, T0 + 60 * MINUTE, WATER.burst, 'clear');
    const partly = outageEvents(await apply(numbers.slice(0, 4).map(clear)));
    expect(partly.map((e) => payload(e).action)).toEqual(['updated']);
    expect(payload(partly[0]).outage.objects.filter((o) => o.active)).toHaveLength(1);

    const last = outageEvents(await apply([clear(numbers[4] as string)]));
    expect(last.map((e) => payload(e).action)).toEqual(['cleared']);
    expect(payload(last[0]).outage).toMatchObject({ id, status: 'cleared', clearedAt: expect.any(String) });
    expect(payload(last[0]).outage.objects.some((o) => o.active)).toBe(false);

    const again = outageEvents(await apply(numbers.map((m, i) => signal(m, T0 + (120 + i) * MINUTE))));
    expect(again.map((e) => payload(e).action)).toEqual(['opened']);
    expect(payload(again[0]).outage.id).not.toBe(id);
    expect((await outagesIn(district)).map((o) => o.active)).toEqual([false, true]);
  });

  it('opens none for background noise: leaks alone, or alarms spread wider than the window', async () => {
    const leaks = newDistrict();
    await apply(meters(leaks, 8).map((m) => signal(m, T0, WATER.leak)));
    const spread = newDistrict();
    await apply(meters(spread, 8).map((m, i) => signal(m, T0 + i * 61 * MINUTE)));
    expect(await outagesIn(leaks)).toEqual([]);
    expect(await outagesIn(spread)).toEqual([]);
  });

  it('alarms of no family, or of no district, cost nothing and open nothing', async () => {
    const district = newDistrict();
    const numbers = meters(district, 6);
    const bins = numbers.map((m) => signal(m, T0, { id: 'bin-full', alarmType: 'bin_full', severity: 'major' }));
    const unplaced = Array.from({ length: 6 }, (_, i) => ({
      ...signal(`device:00000000000000${i}0`, T0),
      objectNumber: null,
    }));
    expect(outageEvents(await apply([...bins, ...unplaced]))).toEqual([]);
    expect(await outagesIn(district)).toEqual([]);
  });

  it('exactly the minimum of alarms, raised at once through two processes, open exactly one outage that they all join', async () => {
    // Each transaction alone sees fewer than five: only the district's lock makes the last one see the others.
    const waves = Array.from({ length: 4 }, () => newDistrict());
    const events = await Promise.all(
      waves.flatMap((district) =>
        meters(district, 5).map((m, i) => apply([signal(m, T0 + i * 1000)], i % 2 ? other : db)),
      ),
    );
    const opened = outageEvents(events.flat()).filter((e) => payload(e).action === 'opened');
    expect(opened.map((e) => e.district).sort()).toEqual(waves);
    for (const district of waves)
      expect(await outagesIn(district)).toEqual([{ id: expect.any(Number), active: true, members: 5 }]);
  });
});

describe('the alarm families file', () => {
  it('names only alarm types the shipped rules raise, each family working for an existing utility', async () => {
    const raised = new Set((await readBuiltinRules()).map((r) => r.alarmType));
    const utilities = JSON.parse(
      readFileSync(new URL('../../../reference-data/utilities.json', import.meta.url), 'utf8'),
    );
    const utilityIds = new Set((utilities.utilities as { id: string }[]).map((u) => u.id));
    for (const family of AlarmFamilies.load().list) {
      for (const type of family.alarmTypes) expect(raised, `${family.kind}: ${type}`).toContain(type);
      if (family.utility !== null) expect(utilityIds).toContain(family.utility);
    }
  });

  it('refuses a type in two families and an opener that is no member', () => {
    const family = { minObjects: 5, withinMinutes: 60, severity: 'major' as const, utility: null, objectType: null };
    expect(
      () =>
        new AlarmFamilies([
          { ...family, kind: 'a', alarmTypes: ['x'] },
          { ...family, kind: 'b', alarmTypes: ['x'] },
        ]),
    ).toThrow(/x belongs to two families/);
    expect(() => new AlarmFamilies([{ ...family, kind: 'a', alarmTypes: ['x'], openedBy: ['y'] }])).toThrow(
      /opened by non-members y/,
    );
  });
});
