import type { ObjectLiveState } from '../contract/live.ts';
import type { NgsiProperty } from '../contract/ngsi-ld.ts';
import type { CityObjectRecord } from '../objects/object-record.ts';
import { defined, fraction, measured, numberAttribute, place, property, textAttribute } from './attributes.ts';
import type { SmartDataModel } from './smart-data-model.ts';

/**
 * A lighting pole with a lamp controller as dataModel.Streetlighting's Streetlight
 * (github.com/smart-data-models/dataModel.Streetlighting, Streetlight/schema.json): status,
 * powerState, illuminanceLevel 0..1, what the controller measures (powerConsumption, voltage,
 * current), and from the registry powerRating, lanternHeight, circuit (its cabinet) and
 * streetPoleNum (its number).
 */

/**
 * The model's status: `columnIssue` when the pole is tilted, `defectiveLamp` when the controller
 * reports a lamp or circuit fault, `ok` when it reports none. The model has no "unknown": without
 * a fault or tilt reading there is no status (brokenLantern has no sensor here).
 */
function status(live: ObjectLiveState | undefined): NgsiProperty | undefined {
  const tilt = live?.metrics.tilt;
  const failure = live?.metrics.lamp_failure;
  if (tilt && tilt.value !== 0) return property('columnIssue', { observedAt: tilt.time });
  if (failure) return property(failure.value !== 0 ? 'defectiveLamp' : 'ok', { observedAt: failure.time });
  return undefined;
}

export const streetlight: SmartDataModel = {
  type: 'Streetlight',
  objectType: 'pole',
  context: 'https://raw.githubusercontent.com/smart-data-models/dataModel.Streetlighting/master/context.jsonld',
  attributeNames: [
    'name',
    'location',
    'address',
    'status',
    'powerState',
    'illuminanceLevel',
    'powerConsumption',
    'voltage',
    'current',
    'powerRating',
    'lanternHeight',
    'circuit',
    'streetPoleNum',
  ],
  // A pole is a Streetlight of the API once a lamp controller on it reports: without one there is
  // no status, which the model requires, and nothing a lighting system would read.
  requiresMetrics: ['lamp_on', 'lamp_failure', 'dim_level'],
  attributes(object: CityObjectRecord, live: ObjectLiveState | undefined) {
    const rating = numberAttribute(object, 'lampPowerW');
    const height = numberAttribute(object, 'heightM');
    const cabinet = textAttribute(object, 'cabinet');
    const lampOn = live?.metrics.lamp_on;
    return defined({
      ...place(object),
      status: status(live),
      powerState: lampOn ? property(lampOn.value !== 0 ? 'on' : 'off', { observedAt: lampOn.time }) : undefined,
      illuminanceLevel: measured(live, 'dim_level', { convert: fraction }),
      powerConsumption: measured(live, 'power', { unitCode: 'WTT' }),
      voltage: measured(live, 'voltage', { unitCode: 'VLT' }),
      current: measured(live, 'current', { unitCode: 'AMP' }),
      powerRating: rating === undefined ? undefined : property(rating, { unitCode: 'WTT' }),
      lanternHeight: height === undefined ? undefined : property(height, { unitCode: 'MTR' }),
      circuit: cabinet === undefined ? undefined : property(cabinet),
      streetPoleNum: property(object.number),
    });
  },
};
