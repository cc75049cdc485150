import { CODECS, type Reading } from '@city/ingest';
import { describe, expect, it } from 'vitest';
import type { AlarmRule } from '../../contract/alarm-rules.ts';
import { fakeObjects } from '../../live/fake-object-lookup.ts';
import { readBuiltinRules } from './alarm-rules-seed.ts';
import { RuleEngine } from './rule-engine.ts';

const shipped = (await readBuiltinRules()).map(
  (row): AlarmRule => ({ ...row, builtin: true, updatedAt: '2025-01-01T00:00:00.000Z', updatedBy: null }) as AlarmRule,
);

/** The models a rule's target takes, by device class. */
const modelsFor = (rule: AlarmRule) =>
  CODECS.filter((c) => rule.target.deviceClass === undefined || c.class === rule.target.deviceClass);

describe('the shipped alarm rules', () => {
  it('cover every kind and what the issue names, each with a metric a codec of its target class produces', () => {
    expect(new Set(shipped.map((r) => r.kind))).toEqual(new Set(['threshold', 'duration', 'change', 'no_data']));
    for (const type of [
      'bin_full',
      'bin_fire',
      'bin_tilted',
      'air_quality',
      'battery_low',
      'device_offline',
      'water_burst',
      'water_leak',
      'water_backflow',
      'tamper',
      'index_backwards',
      'lamp_failure',
      'lamp_day_burning',
    ]) {
      expect(
        shipped.some((r) => r.alarmType === type),
        type,
      ).toBe(true);
    }
    // A meter's leak flag and its night flow both mean a leak.
    expect(
      shipped
        .filter((r) => r.alarmType === 'water_leak')
        .map((r) => r.kind)
        .sort(),
    ).toEqual(['change', 'duration']);
    for (const rule of shipped) {
      if (rule.kind === 'no_data') continue;
      const producers = modelsFor(rule).filter((c) => (c.metrics as readonly string[]).includes(rule.params.metric));
      expect(producers.length, `${rule.id}: ${rule.params.metric}`).toBeGreaterThan(0);
    }
  });

  it('each threshold and change rule fires from a device of its class', () => {
    const objects = fakeObjects([{ number: 'СМ-01-00001', type: 'bin' }]);
    for (const rule of shipped) {
      if (rule.kind !== 'threshold' && rule.kind !== 'change') continue;
      const codec = modelsFor(rule).find((c) => (c.metrics as readonly string[]).includes(rule.params.metric));
      const engine = new RuleEngine({ objects, deviceClass: () => codec?.class });
      engine.setRules(shipped);
      const r = (value: number, minute: number): Reading => ({
        timeMs: minute * 60_000,
        devEui: 'dev',
        objectNumber: null,
        metric: rule.params.metric,
        value,
      });
      const readings =
        rule.kind === 'threshold'
          ? [r(rule.params.raise.value + (rule.params.raise.op.startsWith('g') ? 1 : -1), 0)]
          : rule.params.change === 'flag'
            ? [r(1, 0)]
            : [r(100, 0), r(99, 1)];
      const signals = engine.evaluate(readings);
      expect(
        signals.map((s) => `${s.action} ${s.rule.id}`),
        rule.id,
      ).toContain(`raise ${rule.id}`);
    }
  });
});
