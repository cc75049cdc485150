import { type Db, migrate } from '@city/ingest';
import { afterAll, describe, expect, it } from 'vitest';
import { ENGINES } from '../../../test/engines.ts';
import type { AlarmRule } from '../../contract/alarm-rules.ts';
import { fakeObjects } from '../../live/fake-object-lookup.ts';
import { migrateTwin } from '../../migrate.ts';
import type { AlarmSignal } from '../alarm-signal.ts';
import { replayWindowMs } from './recent-readings.ts';
import { restoreRuleEngine } from './restore-rule-engine.ts';
import { RuleEngine } from './rule-engine.ts';

const MIN = 60_000;
const NOW = Date.parse('2025-01-15T12:00:00Z');

describe.each(ENGINES)('restoring the rule engine from %s', async (_engine, open) => {
  const db: Db = await open();
  await migrate(db);
  await migrateTwin(db);
  /** Ids of this run: a real database keeps the rows of earlier runs. */
  const run = Math.random().toString(16).slice(2, 10);
  const METER = `meter-${run}`;
  const BIN_DEVICE = `bin-${run}`;
  afterAll(async () => {
    // Not left active for a later run or another suite on a shared database.
    await db.query('UPDATE alarms SET active = false, cleared_at = now() WHERE dev_eui = ANY($1::text[]) AND active', [
      [METER, BIN_DEVICE],
    ]);
    await db.close();
  });
  const BIN = `СМ-96-${String(Math.floor(Math.random() * 100_000)).padStart(5, '0')}`;
  const common = {
    severity: 'minor',
    target: {},
    enabled: true,
    builtin: false,
    updatedAt: '',
    updatedBy: null,
  } as const;
  const rules: AlarmRule[] = [
    {
      ...common,
      id: `flow-${run}`,
      name: 'Flowing',
      alarmType: 'water_leak',
      kind: 'duration',
      params: { metric: 'flow', condition: { op: 'gt', value: 0 }, forMinutes: 180 },
    },
    {
      ...common,
      id: `index-${run}`,
      name: 'Index',
      alarmType: 'index_backwards',
      kind: 'change',
      params: { metric: 'volume', change: 'decrease' },
    },
    {
      ...common,
      id: `full-${run}`,
      name: 'Full',
      alarmType: 'bin_full',
      kind: 'threshold',
      params: { metric: 'fill_level', raise: { op: 'gte', value: 85 }, clear: { op: 'lt', value: 60 } },
    },
  ];

  /** This run's signals: on a shared database, earlier runs' devices replay too. */
  const mine = (signals: readonly AlarmSignal[]) =>
    signals.filter((x) => x.devEui === METER || x.devEui === BIN_DEVICE);
  const reading = (devEui: string, metric: string, value: number, minutesAgo: number, objectNumber: string | null) =>
    db.query(
      'INSERT INTO readings (time, dev_eui, object_number, metric, value) VALUES (to_timestamp($1::float8 / 1000), $2, $3, $4, $5)',
      [NOW - minutesAgo * MIN, devEui, objectNumber, metric, value],
    );
  await db.query('INSERT INTO devices (dev_eui, model, object_number) VALUES ($1, $2, NULL), ($3, $4, $5)', [
    METER,
    'axioma/qalcosonic-w1',
    BIN_DEVICE,
    'milesight-iot/em310-udl',
    BIN,
  ]);
  // Flow since 7 h ago: longer than the replay window (2 x 3 h), which sees it from 150 min ago.
  await reading(METER, 'flow', 0.3, 420, null);
  await reading(METER, 'flow', 0.3, 150, null);
  await reading(METER, 'flow', 0.2, 10, null);
  // The index: only its latest value counts.
  await reading(METER, 'volume', 600, 4 * 1440, null);
  await reading(METER, 'volume', 500, 3 * 1440, null);
  // The bin was full (an active alarm), and is at 70 %: in the gap, still raised.
  await reading(BIN_DEVICE, 'fill_level', 90, 120, BIN);
  await reading(BIN_DEVICE, 'fill_level', 70, 60, BIN);
  await db.query(
    `INSERT INTO alarms (subject, alarm_type, rule_id, severity, message, object_number, dev_eui, first_reading_at, last_reading_at)
     VALUES ($1, 'bin_full', $2, 'minor', 'fill level 90 % ≥ 85 %', $1, $3, to_timestamp($4::float8 / 1000), to_timestamp($4::float8 / 1000))`,
    [BIN, `full-${run}`, BIN_DEVICE, NOW - 120 * MIN],
  );

  it('replays the duration window and the latest values, from the active alarms, and says what the replay signalled', async () => {
    expect(replayWindowMs(rules)).toBe(360 * MIN);
    const engine = new RuleEngine({
      objects: fakeObjects([{ number: BIN, type: 'bin', district: '96' }]),
      deviceClass: () => undefined,
    });
    engine.setRules(rules);
    // Nothing to say: the flow has held 150 min of the window (not 7 h), the bin is in the gap.
    expect(mine(await restoreRuleEngine(db, engine, rules, NOW))).toEqual([]);

    const devices = [{ devEui: METER, objectNumber: null, model: 'axioma/qalcosonic-w1', lastSeenMs: NOW - 10 * MIN }];
    expect(mine(engine.tick(NOW + 29 * MIN, devices))).toEqual([]);
    expect(mine(engine.tick(NOW + 30 * MIN, devices))).toMatchObject([
      { action: 'raise', rule: { alarmType: 'water_leak' } },
    ]);
    const at = (metric: string, value: number, devEui = METER, objectNumber: string | null = null) => ({
      timeMs: NOW + MIN,
      devEui,
      objectNumber,
      metric,
      value,
    });
    expect(engine.evaluate([at('volume', 499)])).toMatchObject([
      { action: 'raise', message: expect.stringContaining('after 500 m³') },
    ]);
    expect(engine.evaluate([at('fill_level', 59, BIN_DEVICE, BIN)])).toMatchObject([{ action: 'clear', subject: BIN }]);
  });

  it('returns what the replay signals: a clear a crash left undone', async () => {
    await reading(BIN_DEVICE, 'fill_level', 40, 30, BIN);
    const engine = new RuleEngine({
      objects: fakeObjects([{ number: BIN, type: 'bin' }]),
      deviceClass: () => undefined,
    });
    engine.setRules(rules);
    expect(mine(await restoreRuleEngine(db, engine, rules, NOW))).toMatchObject([
      { action: 'clear', subject: BIN, readingMs: NOW - 30 * MIN, value: 40 },
    ]);
  });
});
