import type { DeviceClass, Reading } from '@city/ingest';
import { describe, expect, it } from 'vitest';
import type {
  AlarmRule,
  AlarmRuleTarget,
  ChangeRule,
  DurationRule,
  ThresholdRule,
} from '../../contract/alarm-rules.ts';
import { fakeObjects } from '../../live/fake-object-lookup.ts';
import type { AlarmSignal } from '../alarm-signal.ts';
import { RuleEngine } from './rule-engine.ts';

const BIN = 'СМ-01-00001';
const BIN_02 = 'СМ-02-00001';
const POLE = 'ОП-01-00007';
const METER = 'ЛЧ-01-00003';
/** Zaporizhzhia. */
const objects = fakeObjects([
  { number: BIN, type: 'bin', district: '01', lat: 47.84, lon: 35.14 },
  { number: BIN_02, type: 'bin', district: '02' },
  { number: POLE, type: 'pole', district: '01', lat: 47.84, lon: 35.14 },
  { number: METER, type: 'meter_point', district: '01' },
]);
const CLASSES: Record<string, DeviceClass> = { 'bin-1': 'bin', 'bin-2': 'bin', lamp: 'streetlight', meter: 'meter' };
const MODELS: Record<string, string> = {
  'bin-1': 'milesight-iot/em310-udl',
  'bin-2': 'pepperl-fuchs/wilsen-sonic-level',
};

function engineWith(...rules: AlarmRule[]): RuleEngine {
  const engine = new RuleEngine({
    objects,
    deviceClass: (devEui) => CLASSES[devEui],
    deviceModel: (devEui) => MODELS[devEui],
  });
  engine.setRules(rules);
  return engine;
}

const common = {
  severity: 'minor',
  target: {},
  enabled: true,
  builtin: false,
  updatedAt: '2025-01-01T00:00:00Z',
  updatedBy: null,
} as const;

const binFull: ThresholdRule = {
  ...common,
  id: 'bin-full',
  name: 'Bin full',
  alarmType: 'bin_full',
  kind: 'threshold',
  params: { metric: 'fill_level', raise: { op: 'gte', value: 85 }, clear: { op: 'lt', value: 60 } },
};

const T0 = Date.parse('2025-01-15T10:00:00Z');
const MIN = 60_000;

/** A reading of `devEui` (on `objectNumber`) at T0 + `minutes`. */
const reading = (
  metric: string,
  value: number,
  minutes = 0,
  devEui = 'bin-1',
  objectNumber: string | null = BIN,
): Reading => ({ timeMs: T0 + minutes * MIN, devEui, objectNumber, metric, value });

/** Each reading on its own: what it signalled, as `raise`/`clear`/`-`. */
function actions(engine: RuleEngine, readings: Reading[]): string[] {
  return readings.map(
    (r) =>
      engine
        .evaluate([r])
        .map((s) => s.action)
        .join(',') || '-',
  );
}

describe('threshold rules', () => {
  it('raise at the raise bound and clear only past the clear bound (84, 86, 70, 59)', () => {
    const engine = engineWith(binFull);
    expect(
      actions(engine, [
        reading('fill_level', 84, 0),
        reading('fill_level', 86, 1),
        reading('fill_level', 70, 2),
        reading('fill_level', 59, 3),
        reading('fill_level', 70, 4),
        reading('fill_level', 85, 5),
        reading('fill_level', 90, 6),
      ]),
    ).toEqual(['-', 'raise', '-', 'clear', '-', 'raise', 'raise']);
  });

  it('say what happened with the unit, about the object, from the device', () => {
    const [raise] = engineWith(binFull).evaluate([reading('fill_level', 91, 0)]);
    expect(raise).toEqual<AlarmSignal>({
      action: 'raise',
      rule: { id: 'bin-full', alarmType: 'bin_full', severity: 'minor' },
      subject: BIN,
      objectNumber: BIN,
      devEui: 'bin-1',
      readingMs: T0,
      value: 91,
      message: 'fill level 91 % ≥ 85 %',
    });
  });

  it('downward: battery below 15 % raises, at 20 % it clears', () => {
    const engine = engineWith({
      ...binFull,
      id: 'battery-low',
      alarmType: 'battery_low',
      params: { metric: 'battery', raise: { op: 'lt', value: 15 }, clear: { op: 'gte', value: 20 } },
    });
    expect(
      actions(engine, [
        reading('battery', 15, 0),
        reading('battery', 14, 1),
        reading('battery', 19, 2),
        reading('battery', 20, 3),
      ]),
    ).toEqual(['-', 'raise', '-', 'clear']);
  });

  it('bands: one alarm type whose severity is the worst band the value is past (PM2.5 by the EEA index)', () => {
    const engine = engineWith({
      ...binFull,
      id: 'air',
      alarmType: 'air_quality',
      severity: 'warning',
      params: {
        metric: 'pm25',
        raise: { op: 'gt', value: 50 },
        clear: { op: 'lte', value: 40 },
        bands: [
          { value: 90, severity: 'minor' },
          { value: 140, severity: 'major' },
        ],
      },
    });
    const at = (value: number, minute: number) => engine.evaluate([reading('pm25', value, minute, 'air-1', null)])[0];
    expect(at(50, 0)).toBeUndefined();
    expect(at(55, 1)).toMatchObject({ rule: { severity: 'warning' }, message: 'PM2.5 55 µg/m³ > 50 µg/m³' });
    expect(at(90, 2)?.rule.severity).toBe('warning');
    expect(at(91, 3)).toMatchObject({ rule: { severity: 'minor' }, message: 'PM2.5 91 µg/m³ > 90 µg/m³' });
    expect(at(200, 4)).toMatchObject({ rule: { severity: 'major' }, subject: 'device:air-1', objectNumber: null });
    expect(at(41, 5)).toBeUndefined();
    expect(at(40, 6)).toMatchObject({ action: 'clear', rule: { severity: 'warning' } });
  });
});

describe('change rules', () => {
  const burst: ChangeRule = {
    ...common,
    id: 'burst',
    name: 'Burst',
    alarmType: 'water_burst',
    severity: 'critical',
    kind: 'change',
    params: { metric: 'burst', change: 'flag' },
  };

  it('a flag raises while 1 and clears at 0', () => {
    const engine = engineWith(burst);
    const meter = (value: number, minute: number) => reading('burst', value, minute, 'meter', METER);
    expect(actions(engine, [meter(0, 0), meter(1, 1), meter(1, 2), meter(0, 3), meter(0, 4)])).toEqual([
      '-',
      'raise',
      'raise',
      'clear',
      '-',
    ]);
    expect(engine.evaluate([meter(1, 5)])[0]?.message).toBe('burst reported');
  });

  it('an index lower than the device’s previous one raises, and only a person clears it', () => {
    const engine = engineWith({
      ...burst,
      id: 'index',
      alarmType: 'index_backwards',
      params: { metric: 'volume', change: 'decrease' },
    });
    const meter = (value: number, minute: number, devEui = 'meter') => reading('volume', value, minute, devEui, METER);
    expect(actions(engine, [meter(100, 0), meter(105, 1), meter(103.5, 2), meter(104, 3), meter(200, 4)])).toEqual([
      '-',
      '-',
      'raise',
      '-',
      '-',
    ]);
    expect(engine.evaluate([meter(150, 5)])[0]).toMatchObject({
      action: 'raise',
      value: 150,
      message: 'volume index went backwards: 150 m³ after 200 m³',
    });
    // Another device's index is its own.
    expect(engine.evaluate([meter(10, 6, 'meter-2')])).toEqual([]);
  });
});

describe('duration rules', () => {
  const nightFlow: DurationRule = {
    ...common,
    id: 'night-flow',
    name: 'Night flow',
    alarmType: 'water_leak',
    severity: 'major',
    kind: 'duration',
    params: {
      metric: 'flow',
      condition: { op: 'gt', value: 0 },
      forMinutes: 180,
      window: { kind: 'hours', from: '00:00', to: '05:00', timeZone: 'Europe/Kyiv' },
    },
  };
  /** Flow at a UTC instant. */
  const flow = (iso: string, value: number): Reading => ({
    timeMs: Date.parse(iso),
    devEui: 'meter',
    objectNumber: METER,
    metric: 'flow',
    value,
  });

  it('night flow above 0 for 3 h raises on the reading that completes it, and a reading of no flow clears', () => {
    const engine = engineWith(nightFlow);
    // 00:00 in Kyiv (UTC+2 in winter) is 22:00Z the day before.
    expect(
      actions(engine, [
        flow('2025-01-14T22:00:00Z', 0.4),
        flow('2025-01-15T00:00:00Z', 0.3),
        flow('2025-01-15T00:59:59Z', 0.3),
        flow('2025-01-15T01:00:00Z', 0.5),
        flow('2025-01-15T01:30:00Z', 0.5),
        flow('2025-01-15T02:00:00Z', 0),
        flow('2025-01-15T02:30:00Z', 0.2),
      ]),
    ).toEqual(['-', '-', '-', 'raise', 'raise', 'clear', '-']);
  });

  it('on the timer, a condition held by the last reading completes with no new reading', () => {
    const engine = engineWith(nightFlow);
    expect(engine.evaluate([flow('2025-01-14T22:10:00Z', 0.4)])).toEqual([]);
    const devices = [{ devEui: 'meter', objectNumber: METER, model: null, lastSeenMs: null }];
    expect(engine.tick(Date.parse('2025-01-15T01:09:59Z'), devices)).toEqual([]);
    const [raise] = engine.tick(Date.parse('2025-01-15T01:10:00Z'), devices);
    expect(raise).toMatchObject({
      action: 'raise',
      readingMs: Date.parse('2025-01-14T22:10:00Z'),
      value: 0.4,
      message: 'flow 0.4 m³/h > 0 m³/h for 3 h between 00:00 and 05:00',
    });
    expect(engine.tick(Date.parse('2025-01-15T01:20:00Z'), devices)).toEqual([]);
  });

  it('only inside the window: flow from 03:00 has not lasted 3 h by 05:00, and daytime flow changes nothing', () => {
    const engine = engineWith(nightFlow);
    expect(
      actions(engine, [
        flow('2025-01-15T01:00:00Z', 0.4),
        flow('2025-01-15T02:59:00Z', 0.4),
        flow('2025-01-15T04:00:00Z', 0.4),
        flow('2025-01-15T06:00:00Z', 0.4),
      ]),
    ).toEqual(['-', '-', '-', '-']);
    expect(engine.tick(Date.parse('2025-01-15T06:30:00Z'), [])).toEqual([]);
  });

  it('across a change of the clocks in Kyiv: the window is clock time, 4 h of night in March, 6 h in October', () => {
    const spring = engineWith(nightFlow);
    // 30 March 2025, 03:00 EET -> 04:00 EEST: from 00:00 (22:00Z) 3 h later is 04:00 local, inside.
    expect(actions(spring, [flow('2025-03-29T22:00:00Z', 1), flow('2025-03-30T01:00:00Z', 1)])).toEqual(['-', 'raise']);
    // 26 October 2025, 04:00 EEST -> 03:00 EET: from 02:30 (23:30Z) 3 h later is 04:30 local, inside...
    const autumn = engineWith(nightFlow);
    expect(actions(autumn, [flow('2025-10-25T23:30:00Z', 1), flow('2025-10-26T02:30:00Z', 1)])).toEqual(['-', 'raise']);
    // ... which on an ordinary night is 05:30, outside.
    const ordinary = engineWith(nightFlow);
    expect(actions(ordinary, [flow('2025-10-18T23:30:00Z', 1), flow('2025-10-19T02:30:00Z', 1)])).toEqual(['-', '-']);
  });

  it('daylight at the object (Zaporizhzhia, 47.84 N 35.14 E): a lamp on for 30 min in daylight raises, at night not', () => {
    const engine = engineWith({
      ...nightFlow,
      id: 'day-burning',
      alarmType: 'lamp_day_burning',
      params: { metric: 'lamp_on', condition: { op: 'gte', value: 1 }, forMinutes: 30, window: { kind: 'daylight' } },
    });
    const lamp = (iso: string, value: number, objectNumber: string | null = POLE): Reading => ({
      timeMs: Date.parse(iso),
      devEui: 'lamp',
      objectNumber,
      metric: 'lamp_on',
      value,
    });
    // Midsummer: noon in Kyiv is 09:00Z; 23:00 is 20:00Z.
    expect(actions(engine, [lamp('2025-06-21T09:00:00Z', 1), lamp('2025-06-21T09:29:00Z', 1)])).toEqual(['-', '-']);
    expect(engine.evaluate([lamp('2025-06-21T09:30:00Z', 1)])[0]?.message).toBe('lamp on = 1 for 30 min in daylight');
    expect(actions(engine, [lamp('2025-06-21T10:00:00Z', 0)])).toEqual(['clear']);
    expect(actions(engine, [lamp('2025-06-21T20:00:00Z', 1), lamp('2025-06-21T21:00:00Z', 1)])).toEqual(['-', '-']);
    // The sun rises about 04:41 local (01:41Z): from 04:30 it counts from sunrise, not before.
    expect(actions(engine, [lamp('2025-06-22T01:30:00Z', 1), lamp('2025-06-22T02:00:00Z', 1)])).toEqual(['-', '-']);
    expect(actions(engine, [lamp('2025-06-22T02:29:00Z', 1), lamp('2025-06-22T02:30:00Z', 1)])).toEqual(['-', 'raise']);
    // A device bound to no object has no position, so no daylight.
    expect(
      actions(
        engineWith({ ...nightFlow, params: { ...nightFlow.params, metric: 'lamp_on', window: { kind: 'daylight' } } }),
        [lamp('2025-06-21T09:00:00Z', 1, null), lamp('2025-06-21T12:00:00Z', 1, null)],
      ),
    ).toEqual(['-', '-']);
  });
});

describe('no-data rules', () => {
  const offline: AlarmRule = {
    ...common,
    id: 'offline',
    name: 'Offline',
    alarmType: 'device_offline',
    kind: 'no_data',
    params: { factor: 3 },
  };
  const bin = (lastSeenMs: number | null) => [
    { devEui: 'bin-1', objectNumber: BIN, model: 'milesight-iot/em310-udl', lastSeenMs },
  ];

  it('a device silent for 3x its interval (a bin: 30 min) goes offline once; its next reading clears', () => {
    const engine = engineWith(offline);
    expect(engine.tick(T0 + 90 * MIN, bin(T0))).toEqual([]);
    const [raise] = engine.tick(T0 + 90 * MIN + 1, bin(T0));
    expect(raise).toMatchObject({
      action: 'raise',
      rule: { alarmType: 'device_offline' },
      subject: BIN,
      readingMs: T0,
      value: null,
      message: 'no data for 1 h 30 min (expected every 30 min)',
    });
    expect(engine.tick(T0 + 200 * MIN, bin(T0))).toEqual([]);
    const [clear] = engine.evaluate([reading('battery', 80, 240)]);
    expect(clear).toMatchObject({ action: 'clear', readingMs: T0 + 240 * MIN, value: null });
    expect(clear?.message).toBe('reporting again after 4 h of silence');
    // The registry's last-seen may lag behind the reading: the device is not silent again.
    expect(engine.tick(T0 + 241 * MIN, bin(T0))).toEqual([]);
  });

  it('a device that reported to another server process (the registry says so) clears too', () => {
    const engine = engineWith(offline);
    expect(engine.tick(T0 + 100 * MIN, bin(T0))).toHaveLength(1);
    expect(engine.tick(T0 + 101 * MIN, bin(T0 + 100 * MIN))).toMatchObject([{ action: 'clear' }]);
  });

  it('a device that never reported has not gone silent', () => {
    expect(engineWith(offline).tick(T0 + 1000 * MIN, bin(null))).toEqual([]);
  });
});

describe('targets', () => {
  it('all that are given must hold: object type, district, device class, model, one object in any spelling', () => {
    const rule = (target: AlarmRuleTarget) => engineWith({ ...binFull, target });
    const full = (number: string, devEui = 'bin-1') => [reading('fill_level', 90, 0, devEui, number)];
    expect(rule({ objectType: 'bin', district: '02' }).evaluate(full(BIN))).toEqual([]);
    expect(rule({ objectType: 'bin', district: '02' }).evaluate(full(BIN_02, 'bin-2'))).toHaveLength(1);
    expect(rule({ objectType: 'pole' }).evaluate(full(BIN))).toEqual([]);
    expect(rule({ deviceClass: 'bin' }).evaluate(full(BIN))).toHaveLength(1);
    expect(rule({ deviceClass: 'meter' }).evaluate(full(BIN))).toEqual([]);
    expect(rule({ model: 'milesight-iot/em310-udl' }).evaluate(full(BIN))).toHaveLength(1);
    expect(rule({ model: 'milesight-iot/em310-udl' }).evaluate(full(BIN_02, 'bin-2'))).toEqual([]);
    expect(rule({ objectNumber: 'см 01 00001' }).evaluate(full(BIN))).toHaveLength(1);
    expect(rule({ objectNumber: BIN_02 }).evaluate(full(BIN))).toEqual([]);
  });

  it('an object that moves district is judged again once the engine is told', () => {
    const moving = fakeObjects([{ number: BIN, type: 'bin', district: '01' }]);
    const engine = new RuleEngine({ objects: moving, deviceClass: () => 'bin' });
    engine.setRules([{ ...binFull, target: { district: '02' } }]);
    expect(engine.evaluate([reading('fill_level', 90, 0)])).toEqual([]);
    (moving.records[0] as { district: string }).district = '02';
    expect(engine.evaluate([reading('fill_level', 90, 1)])).toEqual([]);
    engine.refreshTargets();
    expect(engine.evaluate([reading('fill_level', 90, 2)])).toHaveLength(1);
  });
});

describe('the engine', () => {
  it('an older reading (another ingest process) does not flip the state back', () => {
    const engine = engineWith(binFull);
    expect(
      actions(engine, [reading('fill_level', 90, 10), reading('fill_level', 50, 5), reading('fill_level', 88, 11)]),
    ).toEqual(['raise', '-', 'raise']);
    expect(actions(engine, [reading('fill_level', 50, 12), reading('fill_level', 95, 11.5)])).toEqual(['clear', '-']);
  });

  it('an older reading that meets the rule counts toward the standing alarm, in whatever order they come', () => {
    const engine = engineWith(binFull);
    // Two ingest processes: minute 3 arrives after minute 4; both are full, both count.
    expect(
      actions(engine, [reading('fill_level', 90, 4), reading('fill_level', 91, 3), reading('fill_level', 70, 2)]),
    ).toEqual(['raise', 'raise', '-']);
    // A newer reading in the gap (70) did not clear: an older full one raises what it would have raised.
    const gap = engineWith(binFull);
    expect(actions(gap, [reading('fill_level', 70, 6), reading('fill_level', 90, 5)])).toEqual(['-', 'raise']);
    // A flag likewise, while it stands; a late index says nothing.
    const flags = engineWith({ ...binFull, id: 'tilt', kind: 'change', params: { metric: 'tilt', change: 'flag' } });
    expect(
      actions(flags, [reading('tilt', 1, 4), reading('tilt', 1, 3), reading('tilt', 0, 5), reading('tilt', 1, 4.5)]),
    ).toEqual(['raise', 'raise', 'clear', '-']);
  });

  it('clears an alarm two rules raise only when neither holds it (leak flag and night flow)', () => {
    const leakFlag: AlarmRule = {
      ...common,
      id: 'leak-flag',
      name: 'Leak',
      alarmType: 'water_leak',
      kind: 'change',
      params: { metric: 'leak', change: 'flag' },
    };
    const flowing: AlarmRule = {
      ...common,
      id: 'flowing',
      name: 'Flowing',
      alarmType: 'water_leak',
      kind: 'duration',
      params: { metric: 'flow', condition: { op: 'gt', value: 0 }, forMinutes: 60 },
    };
    const engine = engineWith(leakFlag, flowing);
    const meter = (metric: string, value: number, minute: number) => reading(metric, value, minute, 'meter', METER);
    expect(
      actions(engine, [
        meter('flow', 1, 0),
        meter('leak', 1, 10),
        meter('flow', 1, 60),
        meter('leak', 0, 70),
        meter('flow', 0, 80),
      ]),
    ).toEqual(['-', 'raise', 'raise', '-', 'clear']);
  });

  it('a device moved to another object clears what it raised on the old one', () => {
    const engine = engineWith(binFull);
    expect(engine.evaluate([reading('fill_level', 90, 0, 'bin-1', BIN)])).toHaveLength(1);
    expect(engine.evaluate([reading('fill_level', 90, 1, 'bin-1', BIN_02)])).toMatchObject([
      { action: 'clear', subject: BIN, message: `the device now reports for ${BIN_02}` },
      { action: 'raise', subject: BIN_02 },
    ]);
  });

  it('an edited rule keeps its state; a disabled one raises nothing', () => {
    const engine = engineWith(binFull);
    expect(engine.evaluate([reading('fill_level', 90, 0)])).toHaveLength(1);
    engine.setRules([{ ...binFull, params: { ...binFull.params, raise: { op: 'gte', value: 95 } } }]);
    expect(engine.evaluate([reading('fill_level', 92, 1)])).toEqual([]);
    expect(engine.evaluate([reading('fill_level', 50, 2)])).toMatchObject([{ action: 'clear' }]);
    engine.setRules([{ ...binFull, enabled: false }]);
    expect(engine.evaluate([reading('fill_level', 99, 3)])).toEqual([]);
  });

  it('restores from the active alarms and the recent readings, and returns what the replay signals', () => {
    const offline: AlarmRule = { ...binFull, id: 'offline', alarmType: 'device_offline', kind: 'no_data', params: {} };
    const engine = engineWith(binFull, offline);
    const active = [
      { ruleId: 'bin-full', subject: BIN, objectNumber: BIN, devEui: 'bin-1', lastReadingMs: T0 },
      { ruleId: 'offline', subject: BIN_02, objectNumber: BIN_02, devEui: 'bin-2', lastReadingMs: T0 },
      { ruleId: 'a-rule-since-deleted', subject: BIN, objectNumber: BIN, devEui: 'bin-1', lastReadingMs: T0 },
    ];
    // In the gap: the alarm stays raised, nothing to say.
    expect(engine.restore(active, [reading('fill_level', 70, 1)])).toEqual([]);
    expect(engine.evaluate([reading('fill_level', 59, 2)])).toMatchObject([{ action: 'clear', subject: BIN }]);
    // The offline device reports (an older reading first: it says nothing).
    expect(engine.evaluate([reading('battery', 80, -1, 'bin-2', BIN_02)])).toEqual([]);
    expect(engine.evaluate([reading('battery', 80, 3, 'bin-2', BIN_02)])).toMatchObject([
      { action: 'clear', subject: BIN_02 },
    ]);

    // A clear the crash left undone: the replay says it, in time order whatever the input order.
    const again = engineWith(binFull);
    expect(
      again.restore(active.slice(0, 1), [reading('fill_level', 50, 5), reading('fill_level', 90, 4)]),
    ).toMatchObject([
      { action: 'raise', value: 90 },
      { action: 'clear', value: 50 },
    ]);
  });

  it('10,000 readings that meet no rule make no signal, and the same empty answer every time', () => {
    const engine = engineWith(binFull, {
      ...binFull,
      id: 'offline',
      alarmType: 'device_offline',
      kind: 'no_data',
      params: {},
    });
    const readings = Array.from({ length: 10_000 }, (_, i) =>
      i % 2 === 0
        ? reading('humidity', 99, i, `dev-${i % 10}`)
        : reading('fill_level', 40 + (i % 40), i, `dev-${i % 10}`),
    );
    const first = engine.evaluate(readings);
    expect(first).toHaveLength(0);
    expect(engine.evaluate(readings.slice(0, 10))).toBe(first);
  });
});
