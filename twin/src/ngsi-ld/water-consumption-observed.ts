import type { MetricName } from '@city/ingest/contract';
import type { ObjectLiveState } from '../contract/live.ts';
import type { NgsiProperty } from '../contract/ngsi-ld.ts';
import type { CityObjectRecord } from '../objects/object-record.ts';
import { defined, flag, heldValues, latest, measured, place, property, textAttribute } from './attributes.ts';
import type { SmartDataModel } from './smart-data-model.ts';

/**
 * A water meter point as dataModel.WaterConsumption's WaterConsumptionObserved
 * (github.com/smart-data-models/dataModel.WaterConsumption, WaterConsumptionObserved/schema.json):
 * waterConsumption (the meter's cumulative index, m³) and its alarms as the model's 0/1 flags -
 * alarmStopsLeaks (leak), alarmTamper, alarmWaterQuality (backflow), alarmInProgress (any, a
 * burst included). The model has no attribute for the current flow (maxFlow and minFlow are a
 * week's extremes), so flow is not in it.
 */

/** Alarms whose any one set makes alarmInProgress 1. */
const ALARMS: readonly MetricName[] = ['leak', 'tamper', 'backflow', 'burst'];

function alarmInProgress(live: ObjectLiveState | undefined): NgsiProperty | undefined {
  const alarms = heldValues(live, ALARMS);
  const observedAt = latest(alarms);
  if (observedAt === undefined) return undefined;
  return property(alarms.some((a) => a.value !== 0) ? 1 : 0, { observedAt });
}

export const waterConsumptionObserved: SmartDataModel = {
  type: 'WaterConsumptionObserved',
  objectType: 'meter_point',
  context: 'https://raw.githubusercontent.com/smart-data-models/dataModel.WaterConsumption/master/context.jsonld',
  attributeNames: [
    'name',
    'location',
    'address',
    'waterConsumption',
    'alarmStopsLeaks',
    'alarmTamper',
    'alarmWaterQuality',
    'alarmInProgress',
  ],
  // Meter points of heat, gas or electricity are not water consumption; a point that does not say is taken as water.
  accepts: (object: CityObjectRecord) => {
    const medium = textAttribute(object, 'medium');
    return medium === undefined || /water/i.test(medium);
  },
  attributes(object: CityObjectRecord, live: ObjectLiveState | undefined) {
    return defined({
      ...place(object),
      // The schema's unit is cubic metres, the meter's index is kept as read (not rounded to its `integer`).
      waterConsumption: measured(live, 'volume', { unitCode: 'MTQ' }),
      alarmStopsLeaks: measured(live, 'leak', { convert: flag }),
      alarmTamper: measured(live, 'tamper', { convert: flag }),
      alarmWaterQuality: measured(live, 'backflow', { convert: flag }),
      alarmInProgress: alarmInProgress(live),
    });
  },
};
