import { describe, expect, it } from 'vitest';
import { checkRuleParams } from './check-rule-params.ts';

const threshold = (raise: object, clear: object, bands?: object[]) =>
  checkRuleParams('threshold', { metric: 'fill_level', raise, clear, ...(bands ? { bands } : {}) });

describe('checking a rule’s parameters', () => {
  it('a threshold needs a gap between raise and clear, on the other side', () => {
    expect(threshold({ op: 'gte', value: 85 }, { op: 'lt', value: 60 })).toHaveProperty('params');
    expect(threshold({ op: 'lt', value: 15 }, { op: 'gte', value: 20 })).toHaveProperty('params');
    expect(threshold({ op: 'gte', value: 85 }, { op: 'lt', value: 84.9 })).toHaveProperty('params');
    // Every value raises or clears: no gap.
    expect(threshold({ op: 'gte', value: 85 }, { op: 'lt', value: 85 })).toMatchObject({ field: 'params.clear' });
    expect(threshold({ op: 'gt', value: 85 }, { op: 'lte', value: 85 })).toMatchObject({ field: 'params.clear' });
    // Clear past raise, or the same way.
    expect(threshold({ op: 'gte', value: 85 }, { op: 'lt', value: 90 })).toMatchObject({ field: 'params.clear' });
    expect(threshold({ op: 'gte', value: 85 }, { op: 'gt', value: 60 })).toMatchObject({ field: 'params.clear' });
  });

  it('bands go on past the raise bound, in order', () => {
    const up = (values: number[]) =>
      threshold(
        { op: 'gt', value: 50 },
        { op: 'lte', value: 45 },
        values.map((value) => ({ value, severity: 'major' })),
      );
    expect(up([90, 140])).toHaveProperty('params');
    expect(up([50])).toMatchObject({ field: 'params.bands.0.value' });
    expect(up([90, 90])).toMatchObject({ field: 'params.bands.1.value' });
    const down = threshold({ op: 'lt', value: 15 }, { op: 'gte', value: 20 }, [{ value: 5, severity: 'major' }]);
    expect(down).toHaveProperty('params');
  });

  it('fills in the defaults: Kyiv time, a factor of 3', () => {
    const night = { kind: 'hours', from: '00:00', to: '05:00' };
    expect(
      checkRuleParams('duration', {
        metric: 'flow',
        condition: { op: 'gt', value: 0 },
        forMinutes: 180,
        window: night,
      }),
    ).toEqual({
      params: {
        metric: 'flow',
        condition: { op: 'gt', value: 0 },
        forMinutes: 180,
        window: { ...night, timeZone: 'Europe/Kyiv' },
      },
    });
    expect(checkRuleParams('no_data', {})).toEqual({ params: { factor: 3 } });
  });

  it('refuses an unknown time zone, an empty window, parameters of another kind', () => {
    const duration = (window: object) =>
      checkRuleParams('duration', { metric: 'flow', condition: { op: 'gt', value: 0 }, forMinutes: 5, window });
    expect(duration({ kind: 'hours', from: '22:00', to: '05:00', timeZone: 'Mars/Olympus' })).toMatchObject({
      field: 'params.window.timeZone',
    });
    expect(duration({ kind: 'hours', from: '22:00', to: '22:00' })).toMatchObject({ field: 'params.window.to' });
    expect(duration({ kind: 'hours', from: '24:00', to: '05:00' })).toMatchObject({ field: 'params.window.from' });
    expect(checkRuleParams('change', { metric: 'burst', change: 'flag', factor: 3 })).toMatchObject({
      field: 'params.factor',
    });
  });
});
