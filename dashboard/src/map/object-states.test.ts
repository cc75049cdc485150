import type { MapObjects, ReadingBatch } from '@city/twin/contract';
import { describe, expect, it } from 'vitest';
import { STATE_COLORS } from '../shared/palette.ts';
import { ObjectColumnsError, readObjectColumns } from './object-columns.ts';
import { ObjectStates } from './object-states.ts';

const objects: MapObjects = {
  version: 'v1',
  count: 3,
  types: ['pole', 'bin'],
  type: [0, 1, 0],
  numbers: ['ОП-01-00001', 'УР-01-00002', 'ОП-01-00003'],
  lon: [35.1, 35.2, 35.3],
  lat: [47.8, 47.81, 47.82],
  districts: ['01'],
  district: [0, 0, 0],
};

function batch(rows: [string, string, number][]): ReadingBatch {
  const objectNames = [...new Set(rows.map((r) => r[0]))];
  const metricNames = [...new Set(rows.map((r) => r[1]))];
  return {
    objects: objectNames,
    metrics: metricNames,
    objectIndex: Uint32Array.from(rows.map((r) => objectNames.indexOf(r[0]))),
    metricIndex: Uint8Array.from(rows.map((r) => metricNames.indexOf(r[1]))),
    values: Float64Array.from(rows.map((r) => r[2])),
    times: Float64Array.from(rows.map(() => Date.now())),
  };
}

const rgbaAt = (a: Uint8Array, slot: number) => [...a.subarray(slot * 4, slot * 4 + 4)];

describe("the map's object columns", () => {
  it('refuses an answer whose columns disagree or whose ids and positions are out of range', () => {
    expect(readObjectColumns(objects).slotOf.get('УР-01-00002')).toBe(1);
    expect(() => readObjectColumns({ ...objects, lat: [47.8, 47.81] })).toThrow(ObjectColumnsError);
    expect(() => readObjectColumns({ ...objects, type: [0, 2, 0] })).toThrow(/type id 2/);
    expect(() => readObjectColumns({ ...objects, district: [0, 0, 1] })).toThrow(/district id 1/);
    expect(() => readObjectColumns({ ...objects, lon: [35.1, Number.NaN, 35.3] })).toThrow(/position/);
    expect(() => readObjectColumns({ ...objects, lat: [47.8, 91, 47.82] })).toThrow(/position/);
    expect(() => readObjectColumns({ ...objects, count: 3_000_000 })).toThrow(/count/);
  });
});

describe("the objects' looks", () => {
  it('recolours in place only the objects a batch changes, and says which attributes moved', () => {
    const columns = readObjectColumns(objects);
    const states = new ObjectStates(columns);
    const colours = states.fillColors;
    expect(rgbaAt(colours, 0).slice(0, 3)).toEqual([...STATE_COLORS.noDevice]);
    const before = { ...states.version };
    const changed = states.applyReadings(
      batch([
        ['ОП-01-00001', 'lamp_on', 1],
        ['УР-01-00002', 'fill_level', 92],
        ['ЛК-99-99999', 'fill_level', 50],
      ]),
    );
    expect(changed).toBe(2);
    // The same typed array, rewritten: nothing was reallocated.
    expect(states.fillColors).toBe(colours);
    expect(states.lookOf(0)).toBe('lampOn');
    expect(rgbaAt(colours, 0).slice(0, 3)).toEqual([...STATE_COLORS.lampOn]);
    expect(states.lookOf(1)).toBe('binFull');
    expect(states.lookOf(2)).toBe('noDevice');
    expect(states.version.fill).toBe(before.fill + 1);
    // A full bin also grows and gets an outline: not colour alone.
    expect(states.version.radius).toBe(before.radius + 1);
    expect(states.radii[1]).toBeGreaterThan(states.radii[2] as number);
    expect(states.lineWidths[1]).toBeGreaterThan(0);

    // A failed lamp stays failed whatever on/off says next, until the failure clears.
    states.applyReadings(batch([['ОП-01-00001', 'lamp_failure', 1]]));
    states.applyReadings(batch([['ОП-01-00001', 'lamp_on', 0]]));
    expect(states.lookOf(0)).toBe('lampFailed');
    // Cleared, the lamp's on/off is not known until it reports it; it is reporting: ok.
    states.applyReadings(batch([['ОП-01-00001', 'lamp_failure', 0]]));
    expect(states.lookOf(0)).toBe('ok');
    const fill = states.version.fill;
    // A reading that changes no look touches no buffer.
    expect(states.applyReadings(batch([['УР-01-00002', 'fill_level', 95]]))).toBe(0);
    expect(states.version.fill).toBe(fill);
  });

  it('takes a whole state for its objects version only, ignoring indexes out of range', () => {
    const states = new ObjectStates(readObjectColumns(objects));
    const state = {
      at: new Date().toISOString(),
      index: [0, 1, 7],
      health: [3, 1, 1],
      fill: [-1, 60, 10],
      lamp: [0, 0, 0],
    };
    expect(states.setStates({ ...state, objectsVersion: 'v0' })).toBe(false);
    expect(states.setStates({ ...state, objectsVersion: 'v1' })).toBe(true);
    expect(states.lookOf(0)).toBe('offline');
    expect(states.fillColors[3]).toBeLessThan(100);
    expect(states.lookOf(1)).toBe('binHalf');
    expect(states.fillOf(1)).toBe(60);
    expect(states.lookOf(2)).toBe('noDevice');
  });
});
