import { METRIC_NAMES } from '@city/ingest/contract';
import { describe, expect, it } from 'vitest';
import { OBJECT_TYPES } from '../contract/object-types.ts';
import { modelOfObjectType, modelOfType, SMART_DATA_MODELS } from './index.ts';
import { cityObject, liveState } from './model-fixture.ts';

describe('the Smart Data Models registry', () => {
  it('has each entity type and each object type once, of the object types the twin knows', () => {
    const types = SMART_DATA_MODELS.map((m) => m.type);
    const objectTypes = SMART_DATA_MODELS.map((m) => m.objectType);
    expect(new Set(types).size).toBe(types.length);
    expect(new Set(objectTypes).size).toBe(objectTypes.length);
    for (const m of SMART_DATA_MODELS) {
      expect(Object.keys(OBJECT_TYPES)).toContain(m.objectType);
      expect(modelOfType(m.type)).toBe(m);
      expect(modelOfObjectType(m.objectType)).toBe(m);
    }
    expect(modelOfType('wastecontainer')).toBeUndefined();
  });

  it("points each model at its domain's @context in the smart-data-models repositories", () => {
    for (const m of SMART_DATA_MODELS) {
      expect(m.context).toMatch(
        /^https:\/\/raw\.githubusercontent\.com\/smart-data-models\/dataModel\.[A-Za-z]+\/master\/context\.jsonld$/,
      );
    }
  });

  it('gives no attribute its model does not name, with every metric measured and every attribute set', () => {
    const everything = Object.fromEntries(
      METRIC_NAMES.map((metric, i) => [metric, [i, '2025-06-01T10:00:00.000Z'] as [number, string]]),
    );
    for (const m of SMART_DATA_MODELS) {
      const object = cityObject({
        number: 'X-1',
        type: m.objectType,
        address: 'вул. Тестова, 1',
        ownerUtility: 'vodokanal',
        attributes: {
          volumeL: 240,
          fraction: 'glass',
          lampPowerW: 60,
          heightM: 8,
          cabinet: 'ШК-01-00001',
          medium: 'water',
        },
      });
      const names = Object.keys(m.attributes(object, liveState(object.number, everything)));
      expect(m.attributeNames).toEqual(expect.arrayContaining(names));
      // ...and each name the model declares is one this mapping can give.
      expect(names.sort()).toEqual([...m.attributeNames].sort());
    }
  });
});
