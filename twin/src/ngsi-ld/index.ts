import { airQualityObserved } from './air-quality-observed.ts';
import type { SmartDataModel } from './smart-data-model.ts';
import { streetlight } from './streetlight.ts';
import { wasteContainer } from './waste-container.ts';
import { waterConsumptionObserved } from './water-consumption-observed.ts';

/**
 * The Smart Data Models the NGSI-LD API serves, one per object type: adding one is a file like
 * waste-container.ts and a line here (index.test.ts fails on a duplicate type or object type).
 */
export const SMART_DATA_MODELS: readonly SmartDataModel[] = [
  wasteContainer,
  streetlight,
  airQualityObserved,
  waterConsumptionObserved,
];

const BY_TYPE = new Map(SMART_DATA_MODELS.map((m) => [m.type, m]));
const BY_OBJECT_TYPE = new Map<string, SmartDataModel>(SMART_DATA_MODELS.map((m) => [m.objectType, m]));

/** The model of an entity type (`WasteContainer`), as the model spells it. */
export function modelOfType(type: string): SmartDataModel | undefined {
  return BY_TYPE.get(type);
}

/** The model objects of a type (`bin`) are entities of, if any. */
export function modelOfObjectType(objectType: string): SmartDataModel | undefined {
  return BY_OBJECT_TYPE.get(objectType);
}

export type { SmartDataModel } from './smart-data-model.ts';
