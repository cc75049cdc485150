import type { MetricName } from '@city/ingest/contract';
import { EAQI_POLLUTANTS, type LiveValue, type ObjectLiveState } from '../contract/live.ts';
import type { NgsiProperty } from '../contract/ngsi-ld.ts';
import { eaqiBand, eaqiLevel } from '../live/eaqi.ts';
import type { CityObjectRecord } from '../objects/object-record.ts';
import { defined, fraction, heldValues, latest, measured, place, property } from './attributes.ts';
import type { SmartDataModel } from './smart-data-model.ts';

/**
 * An air quality station as dataModel.Environment's AirQualityObserved
 * (github.com/smart-data-models/dataModel.Environment, AirQualityObserved/schema.json): the
 * newest concentration of each pollutant it measures (µg/m³, CO2 in ppm, VOC in ppb),
 * temperature, relativeHumidity 0..1, dateObserved, and the European Air Quality Index band of
 * its pollutants as airQualityIndex (1 good ... 6 extremely poor) and airQualityLevel.
 */

/** Metrics an observation is made of: the newest of their times is its dateObserved. */
const OBSERVED: readonly MetricName[] = ['pm1', 'pm25', 'pm10', 'no2', 'co2', 'tvoc', 'temperature', 'humidity'];

/** The index of the station's own pollutants: the worst band among them, as the district's index takes it. */
function airQuality(live: ObjectLiveState | undefined): { index?: NgsiProperty; level?: NgsiProperty } {
  let band = 0;
  const used: LiveValue[] = [];
  for (const pollutant of EAQI_POLLUTANTS) {
    const held = live?.metrics[pollutant];
    if (!held) continue;
    used.push(held);
    band = Math.max(band, eaqiBand(pollutant, held.value));
  }
  const observedAt = latest(used);
  if (band === 0 || observedAt === undefined) return {};
  return { index: property(band, { observedAt }), level: property(eaqiLevel(band), { observedAt }) };
}

export const airQualityObserved: SmartDataModel = {
  type: 'AirQualityObserved',
  objectType: 'air_station',
  context: 'https://raw.githubusercontent.com/smart-data-models/dataModel.Environment/master/context.jsonld',
  attributeNames: [
    'name',
    'location',
    'address',
    'dateObserved',
    'pm1',
    'pm25',
    'pm10',
    'no2',
    'co2',
    'volatileOrganicCompoundsTotal',
    'temperature',
    'relativeHumidity',
    'airQualityIndex',
    'airQualityLevel',
  ],
  attributes(object: CityObjectRecord, live: ObjectLiveState | undefined) {
    const dateObserved = latest(heldValues(live, OBSERVED));
    const { index, level } = airQuality(live);
    return defined({
      ...place(object),
      dateObserved: dateObserved === undefined ? undefined : property(dateObserved),
      // GQ: microgram per cubic metre; 59: part per million; 61: part per billion (UN/CEFACT Rec. 20).
      pm1: measured(live, 'pm1', { unitCode: 'GQ' }),
      pm25: measured(live, 'pm25', { unitCode: 'GQ' }),
      pm10: measured(live, 'pm10', { unitCode: 'GQ' }),
      no2: measured(live, 'no2', { unitCode: 'GQ' }),
      co2: measured(live, 'co2', { unitCode: '59' }),
      volatileOrganicCompoundsTotal: measured(live, 'tvoc', { unitCode: '61' }),
      temperature: measured(live, 'temperature', { unitCode: 'CEL' }),
      relativeHumidity: measured(live, 'humidity', { convert: fraction }),
      airQualityIndex: index,
      airQualityLevel: level,
    });
  },
};
