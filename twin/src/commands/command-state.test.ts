import { describe, expect, it } from 'vitest';
import { afterClock, afterUplink, type PendingCommand } from './command-state.ts';

const T0 = Date.parse('2026-11-30T18:00:00Z');
const command = (over: Partial<PendingCommand> = {}): PendingCommand => ({
  action: 'on',
  level: null,
  sentAtMs: T0,
  deadlineMs: T0 + 120_000,
  contradictions: 0,
  ...over,
});
const uplink = (atMs: number, metrics: Record<string, number>) => ({
  timeMs: atMs,
  metrics: new Map(Object.entries(metrics)),
});

describe('a command after an uplink', () => {
  it('is confirmed when the lamp shows the commanded state', () => {
    expect(afterUplink(command(), uplink(T0 + 5000, { lamp_on: 1, power: 80 }))).toEqual({
      status: 'confirmed',
      contradictions: 0,
      detail: 'lamp on',
    });
    expect(afterUplink(command({ action: 'off' }), uplink(T0 + 5000, { lamp_on: 0 })).status).toBe('confirmed');
  });

  it('forgives the first contradicting uplink and fails on the second', () => {
    const first = afterUplink(command({ action: 'off' }), uplink(T0 + 1000, { lamp_on: 1 }));
    expect(first).toEqual({ status: 'pending', contradictions: 1 });
    const second = afterUplink(command({ action: 'off', contradictions: 1 }), uplink(T0 + 9000, { lamp_on: 1 }));
    expect(second).toEqual({ status: 'failed', contradictions: 2, detail: 'the device reported lamp on' });
  });

  it('is confirmed after a forgiven contradiction', () => {
    expect(afterUplink(command({ contradictions: 1 }), uplink(T0 + 9000, { lamp_on: 1 })).status).toBe('confirmed');
  });

  it('ignores uplinks sent before the command and uplinks without the judged metric', () => {
    expect(afterUplink(command(), uplink(T0 - 1, { lamp_on: 0 }))).toEqual({ status: 'pending', contradictions: 0 });
    expect(afterUplink(command(), uplink(T0 + 1000, { battery: 90, voltage: 230 }))).toEqual({
      status: 'pending',
      contradictions: 0,
    });
  });

  it('judges a dim by its level within the tolerance', () => {
    const dim = command({ action: 'dim', level: 40 });
    expect(afterUplink(dim, uplink(T0 + 1000, { dim_level: 44, lamp_on: 1 })).status).toBe('confirmed');
    expect(afterUplink(dim, uplink(T0 + 1000, { dim_level: 36 })).status).toBe('confirmed');
    expect(afterUplink(dim, uplink(T0 + 1000, { dim_level: 46 }))).toEqual({ status: 'pending', contradictions: 1 });
    // Lit without a level says nothing; dark contradicts; dim to 0 is off.
    expect(afterUplink(dim, uplink(T0 + 1000, { lamp_on: 1 }))).toEqual({ status: 'pending', contradictions: 0 });
    expect(afterUplink(dim, uplink(T0 + 1000, { lamp_on: 0 }))).toEqual({ status: 'pending', contradictions: 1 });
    expect(afterUplink(command({ action: 'dim', level: 0 }), uplink(T0 + 1000, { lamp_on: 0 })).status).toBe(
      'confirmed',
    );
  });
});

describe('a command under the clock', () => {
  it('stays pending until its deadline, then times out', () => {
    expect(afterClock(command(), T0 + 119_999)).toEqual({ status: 'pending', contradictions: 0 });
    expect(afterClock(command(), T0 + 120_000)).toEqual({
      status: 'timed_out',
      contradictions: 0,
      detail: 'no uplink showed the commanded state within 120 s',
    });
    expect(afterClock(command({ contradictions: 1 }), T0 + 500_000).detail).toContain('1 showed another');
  });
});
