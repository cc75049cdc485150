import { describe, expect, it } from 'vitest';
import { fakeObjects } from '../live/fake-object-lookup.ts';
import { LiveState } from '../live/live-state.ts';
import { MapColumns } from './map-columns.ts';
import { MapStates } from './map-state.ts';

const NOW = Date.parse('2026-11-30T12:00:00Z');
const MIN = 60_000;

describe("the map's object state", () => {
  const objects = fakeObjects([
    { number: 'ОП-01-00001', type: 'pole' },
    { number: 'УР-01-00002', type: 'bin' },
    { number: 'УР-01-00003', type: 'bin' },
    { number: 'ОП-01-00004', type: 'pole' },
    { number: 'ЛК-01-00005', type: 'manhole' },
  ]);
  const source = { version: 1, list: () => objects.records };
  const columns = new MapColumns(source);
  const live = new LiveState({ objects });
  const states = new MapStates(live, columns);

  it('gives health from the devices, a bin its fill, a lamp on, off or failed - sparse and in column order', () => {
    // A streetlight controller (expected every 15 min) seen 5 min ago; a bin sensor (30 min) seen 2 h ago.
    live.setDevice({
      devEui: 'a1',
      model: 'milesight-iot/ws558',
      objectNumber: 'ОП-01-00001',
      lastSeenMs: NOW - 5 * MIN,
    });
    live.setDevice({
      devEui: 'b2',
      model: 'milesight-iot/em310-udl',
      objectNumber: 'УР-01-00002',
      lastSeenMs: NOW - 120 * MIN,
    });
    live.setDevice({
      devEui: 'b3',
      model: 'milesight-iot/em310-udl',
      objectNumber: 'УР-01-00003',
      lastSeenMs: NOW - 5 * MIN,
    });
    live.setDevice({ devEui: 'c4', model: 'milesight-iot/ws558', objectNumber: 'ОП-01-00004', lastSeenMs: 0 });
    live.apply([
      { timeMs: NOW - 5 * MIN, devEui: 'a1', objectNumber: 'ОП-01-00001', metric: 'lamp_on', value: 1 },
      { timeMs: NOW - 120 * MIN, devEui: 'b2', objectNumber: 'УР-01-00002', metric: 'fill_level', value: 91.26 },
      { timeMs: NOW - 5 * MIN, devEui: 'b3', objectNumber: 'УР-01-00003', metric: 'fill_level', value: 140 },
      { timeMs: NOW - 5 * MIN, devEui: 'a1', objectNumber: 'ОП-01-00001', metric: 'lamp_failure', value: 0 },
    ]);
    const state = states.current(NOW);
    const snapshot = columns.current();
    expect(state.objectsVersion).toBe(snapshot.answer.version);
    const row = (number: string) => {
      const k = state.index.indexOf(snapshot.indexOf.get(number) as number);
      return k < 0 ? undefined : { health: state.health[k], fill: state.fill[k], lamp: state.lamp[k] };
    };
    expect(row('ОП-01-00001')).toEqual({ health: 1, fill: -1, lamp: 1 });
    // Seen 2 h ago with a 30 min interval: stale (2.5 intervals passed, not 6).
    expect(row('УР-01-00002')).toEqual({ health: 2, fill: 91.3, lamp: 0 });
    // A fill past 100 is clamped, not passed on.
    expect(row('УР-01-00003')).toEqual({ health: 1, fill: 100, lamp: 0 });
    // Never seen: offline.
    expect(row('ОП-01-00004')).toEqual({ health: 3, fill: -1, lamp: 0 });
    // No device, no value: not in the state at all.
    expect(row('ЛК-01-00005')).toBeUndefined();
    expect(state.index).toEqual([...state.index].sort((a, b) => a - b));
  });

  it('marks a failed lamp failed whatever its on/off says, and serves one computation per second', () => {
    live.apply([{ timeMs: NOW - MIN, devEui: 'a1', objectNumber: 'ОП-01-00001', metric: 'lamp_failure', value: 1 }]);
    const cached = states.current(NOW + 500);
    const k = cached.index.indexOf(columns.current().indexOf.get('ОП-01-00001') as number);
    // Within the second: the state computed at NOW (lamp on).
    expect(cached.lamp[k]).toBe(1);
    expect(states.current(NOW + 1500).lamp[k]).toBe(3);
  });

  it('follows a new version of the objects', () => {
    const before = states.current(NOW + 3000).objectsVersion;
    source.version = 2;
    expect(states.current(NOW + 3100).objectsVersion).not.toBe(before);
  });
});
