import { randomUUID } from 'node:crypto';
import { type Db, migrate } from '@city/ingest';
import { afterAll, describe, expect, it } from 'vitest';
import { ENGINES } from '../../test/engines.ts';
import type { AlarmSeverity } from '../contract/alarms.ts';
import { migrateTwin } from '../migrate.ts';
import type { CityObjectRecord, ObjectLookup } from '../objects/object-record.ts';
import type { LiveEvent } from '../stream/live-hub.ts';
import { insertNewHits, pruneAlarmHits } from './alarm-hits-table.ts';
import { type AlarmSignal, deviceSubject } from './alarm-signal.ts';
import { applySignals } from './alarm-store.ts';

const T0 = Date.parse('2026-03-01T10:00:00.000Z');
const DEV = 'a1b2c3d4e5f60718';

describe.each(ENGINES)('the alarm store on %s', async (engine, open) => {
  const db = await open();
  await migrate(db);
  await migrateTwin(db);
  // Two processes: on PostgreSQL a second pool of connections; PGlite has one connection.
  const other: Db = engine === 'PGlite' ? db : await open();
  afterAll(async () => {
    if (other !== db) await other.close();
    await db.close();
  });

  // Each run its own objects and district, so runs on a shared database do not meet.
  const run = randomUUID().slice(0, 8);
  let nextObject = 0;
  const records = new Map<string, CityObjectRecord>();
  const objects: ObjectLookup = { get: (number) => records.get(number) };
  const newObject = (ownerUtility: string | null = 'vodokanal'): string => {
    const number = `T-${run}-${++nextObject}`;
    records.set(number, {
      number,
      type: 'bin',
      lat: 47.85,
      lon: 35.15,
      district: `d${run}`,
      address: null,
      ownerUtility,
      attributes: {},
    });
    return number;
  };
  const signal = (subject: string, readingMs: number, over: Partial<AlarmSignal> = {}): AlarmSignal => ({
    action: 'raise',
    rule: { id: 'bin-full', alarmType: 'bin_full', severity: 'major' },
    subject,
    objectNumber: subject.startsWith('device:') ? null : subject,
    devEui: DEV,
    readingMs,
    value: 91,
    message: 'fill level 91 % ≥ 85 %',
    ...over,
  });
  const clear = (subject: string, readingMs: number) => signal(subject, readingMs, { action: 'clear', value: 50 });
  const withSeverity = (subject: string, readingMs: number, severity: AlarmSeverity) =>
    signal(subject, readingMs, { rule: { id: `bin-${severity}`, alarmType: 'bin_full', severity } });
  const alarmsOf = async (subject: string) =>
    (
      await db.query<{ id: number; active: boolean; count: number; cleared_by: string | null }>(
        'SELECT id::int AS id, active, count, cleared_by FROM alarms WHERE subject = $1 ORDER BY id',
        [subject],
      )
    ).rows;
  const historyOf = async (alarmId: number) =>
    (
      await db.query<{ kind: string; actor: string | null; detail: unknown }>(
        'SELECT kind, actor, detail FROM alarm_events WHERE alarm_id = $1 ORDER BY id',
        [alarmId],
      )
    ).rows;
  const actions = (events: LiveEvent[]) => events.map((e) => (e.event === 'alarm' ? e.payload.action : e.event));

  it('100 distinct hits in parallel batches through two processes make one alarm of count 100; a replay counts nothing', async () => {
    const bin = newObject();
    const hits = Array.from({ length: 100 }, (_, i) => signal(bin, T0 + i * 1000));
    const batches = Array.from({ length: 25 }, (_, b) => hits.filter((_, i) => i % 25 === b));
    const burst = () => Promise.all(batches.map((batch, b) => applySignals(b % 2 === 0 ? db : other, batch, objects)));

    const events = (await burst()).flat();
    const alarms = await alarmsOf(bin);
    expect(alarms).toEqual([{ id: expect.any(Number), active: true, count: 100, cleared_by: null }]);
    expect(actions(events).sort()).toEqual(['raised', ...Array(24).fill('repeated')]);
    expect(await historyOf(alarms[0]?.id as number)).toEqual([{ kind: 'raised', actor: null, detail: null }]);
    // Ids are the stream's order: distinct and rising in each batch.
    expect(new Set(events.map((e) => e.id)).size).toBe(25);

    expect((await burst()).flat()).toEqual([]);
    expect((await alarmsOf(bin)).map((a) => a.count)).toEqual([100]);
  });

  it('batches that count the same alarms in other orders, at once, neither deadlock nor double an alarm', async () => {
    const bins = [newObject(), newObject(), newObject()];
    const batches = Array.from({ length: 12 }, (_, b) =>
      [0, 1, 2].map((k) => {
        const bin = bins[(b + k) % 3] as string;
        return signal(bin, T0 + b * 1000);
      }),
    );
    await Promise.all(batches.map((batch, b) => applySignals(b % 2 === 0 ? db : other, batch, objects)));
    for (const bin of bins) expect((await alarmsOf(bin)).map((a) => [a.active, a.count])).toEqual([[true, 12]]);
  });

  it('an older reading cannot clear a newer raise; a newer one clears it, and the next hit raises a new alarm', async () => {
    const bin = newObject();
    await applySignals(db, [signal(bin, T0 + 5000)], objects);
    expect(await applySignals(db, [clear(bin, T0 + 4000)], objects)).toEqual([]);
    expect((await alarmsOf(bin)).map((a) => a.active)).toEqual([true]);

    const cleared = await applySignals(other, [clear(bin, T0 + 6000)], objects);
    expect(actions(cleared)).toEqual(['cleared']);
    const [first] = await alarmsOf(bin);
    expect(first).toMatchObject({ active: false, cleared_by: 'rule' });
    expect((await historyOf(first?.id as number)).map((h) => h.kind)).toEqual(['raised', 'cleared']);
    // Cleared twice (the rule engine of another process): nothing more happens.
    expect(await applySignals(db, [clear(bin, T0 + 7000)], objects)).toEqual([]);

    expect(actions(await applySignals(db, [signal(bin, T0 + 8000)], objects))).toEqual(['raised']);
    const after = await alarmsOf(bin);
    expect(after.map((a) => [a.active, a.count])).toEqual([
      [false, 1],
      [true, 1],
    ]);
    expect(after[1]?.id).toBeGreaterThan(after[0]?.id as number);
  });

  it('keeps the order of one batch: raise, clear, raise make two alarms', async () => {
    const bin = newObject();
    const events = await applySignals(
      db,
      [signal(bin, T0 + 1000), signal(bin, T0 + 2000), clear(bin, T0 + 3000), signal(bin, T0 + 4000)],
      objects,
    );
    expect(actions(events)).toEqual(['raised', 'cleared', 'raised']);
    expect((await alarmsOf(bin)).map((a) => [a.active, a.count])).toEqual([
      [false, 2],
      [true, 1],
    ]);
    // The same reading twice in a batch is one hit.
    await applySignals(db, [signal(bin, T0 + 5000), signal(bin, T0 + 5000)], objects);
    expect((await alarmsOf(bin)).map((a) => a.count)).toEqual([2, 2]);
  });

  it('takes the worse severity (with a history row), and the latest reading’s value and words', async () => {
    const bin = newObject();
    await applySignals(db, [withSeverity(bin, T0 + 1000, 'warning')], objects);
    const worse = await applySignals(db, [withSeverity(bin, T0 + 2000, 'critical')], objects);
    expect(actions(worse)).toEqual(['severity']);
    const alarm = worse[0]?.event === 'alarm' ? worse[0].payload.alarm : undefined;
    expect(alarm).toMatchObject({ severity: 'critical', count: 2, ruleId: 'bin-critical' });
    expect(await historyOf(alarm?.id as number)).toEqual([
      { kind: 'raised', actor: null, detail: null },
      { kind: 'severity', actor: null, detail: { from: 'warning', to: 'critical' } },
    ]);

    // A milder reading counts without lowering it; a late, older one counts without overwriting the latest.
    const milder = await applySignals(
      db,
      [signal(bin, T0 + 3000, { value: 99, message: 'fill level 99 %' }), withSeverity(bin, T0 + 500, 'minor')],
      objects,
    );
    expect(actions(milder)).toEqual(['repeated']);
    expect(milder[0]?.payload).toMatchObject({
      alarm: {
        severity: 'critical',
        count: 4,
        value: 99,
        message: 'fill level 99 %',
        ruleId: 'bin-full',
        firstReadingAt: new Date(T0 + 500).toISOString(),
        lastReadingAt: new Date(T0 + 3000).toISOString(),
      },
    });
  });

  it('places an alarm by its object, and scopes its stream events the same way', async () => {
    const bin = newObject('misksvitlo');
    const [event] = await applySignals(db, [signal(bin, T0)], objects);
    expect(event).toMatchObject({
      event: 'alarm',
      district: `d${run}`,
      objectType: 'bin',
      utility: 'misksvitlo',
      payload: {
        eventId: event?.id,
        action: 'raised',
        alarm: {
          type: 'bin_full',
          status: 'active',
          acknowledged: false,
          subject: bin,
          objectNumber: bin,
          objectType: 'bin',
          district: `d${run}`,
          utility: 'misksvitlo',
          devEui: DEV,
          lat: 47.85,
          lon: 35.15,
          count: 1,
          raisedAt: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/),
        },
      },
    });
    const stored = await db.query<{ event: string; payload: { action: string } }>(
      'SELECT event, payload FROM live_events WHERE id = $1',
      [event?.id],
    );
    expect(stored.rows).toEqual([{ event: 'alarm', payload: expect.objectContaining({ action: 'raised' }) }]);

    // A device bound to no object: an alarm of no place.
    const loose = deviceSubject(`ffff${run}`);
    const [unplaced] = await applySignals(db, [signal(loose, T0)], objects);
    expect(unplaced).toMatchObject({
      district: null,
      objectType: null,
      utility: null,
      payload: { alarm: { subject: loose, objectNumber: null, lat: null } },
    });
  });

  it('runs the after-change hook in the transaction: its events follow the alarms’, and its failure undoes them', async () => {
    const bin = newObject();
    const seen: { ids: number[]; visible: number }[] = [];
    const events = await applySignals(db, [signal(bin, T0)], objects, {
      afterChange: async (tx, changed) => {
        const { rows } = await tx.query<{ n: number }>(
          'SELECT count(*)::int AS n FROM alarms WHERE id = ANY($1::bigint[])',
          [changed.map((a) => a.id)],
        );
        seen.push({ ids: changed.map((a) => a.id), visible: rows[0]?.n ?? 0 });
        return [
          {
            event: 'incident',
            district: `d${run}`,
            objectType: null,
            utility: null,
            payload: {
              kind: 'outage',
              action: 'opened',
              outage: {
                id: 1,
                kind: 'water',
                district: `d${run}`,
                severity: 'major',
                status: 'active',
                startedAt: new Date(T0).toISOString(),
                updatedAt: new Date(T0).toISOString(),
                clearedAt: null,
                objects: [],
              },
            },
          },
        ];
      },
    });
    const [alarm] = await alarmsOf(bin);
    expect(seen).toEqual([{ ids: [alarm?.id], visible: 1 }]);
    expect(events.map((e) => e.event)).toEqual(['alarm', 'incident']);
    expect(events[1]?.id).toBeGreaterThan(events[0]?.id as number);

    const failing = applySignals(db, [signal(bin, T0 + 1000)], objects, {
      afterChange: async () => {
        throw new Error('roll-up failed');
      },
    });
    await expect(failing).rejects.toThrow('roll-up failed');
    expect((await alarmsOf(bin)).map((a) => a.count)).toEqual([1]);
    // The hit was rolled back too: the same reading counts when it comes again.
    await applySignals(db, [signal(bin, T0 + 1000)], objects);
    expect((await alarmsOf(bin)).map((a) => a.count)).toEqual([2]);
  });

  it('forgets old hits when pruned', async () => {
    const bin = newObject();
    const hit = { subject: bin, alarmType: 'bin_full', devEui: DEV, readingAt: new Date(T0).toISOString() };
    expect(
      await db.transaction((tx) => insertNewHits(tx, [hit, { ...hit, readingAt: new Date(T0 + 1).toISOString() }])),
    ).toEqual([true, true]);
    await db.query("UPDATE alarm_hits SET at = now() - interval '49 hours' WHERE subject = $1 AND reading_at = $2", [
      bin,
      hit.readingAt,
    ]);
    expect(await pruneAlarmHits(db, 48)).toBeGreaterThanOrEqual(1);
    expect(
      await db.transaction((tx) => insertNewHits(tx, [hit, { ...hit, readingAt: new Date(T0 + 1).toISOString() }])),
    ).toEqual([true, false]);
  });
});
