import type { ObjectLiveState } from '../contract/live.ts';
import type { NgsiProperty } from '../contract/ngsi-ld.ts';
import type { CityObjectRecord } from '../objects/object-record.ts';
import {
  defined,
  fraction,
  heldValues,
  latest,
  measured,
  numberAttribute,
  place,
  property,
  textAttribute,
} from './attributes.ts';
import type { SmartDataModel } from './smart-data-model.ts';

/**
 * A bin as dataModel.WasteManagement's WasteContainer
 * (github.com/smart-data-models/dataModel.WasteManagement, WasteContainer/schema.json):
 * fillingLevel 0..1, temperature inside, status from the point of view of safety, binCapacity,
 * storedWasteKind, responsible.
 */

/** The model's storedWasteKind values; a bin's `fraction` outside them (mixed) is `other`. */
const WASTE_KINDS = new Set([
  'organic',
  'inorganic',
  'glass',
  'oil',
  'plastic',
  'metal',
  'paper',
  'batteries',
  'electronics',
  'hazardous',
  'other',
]);

/**
 * °C inside a bin from which it is burning: a closed bin in the summer sun stays under ~50 °C,
 * a smouldering fire heats it past 60 (the demo city's fires read 65-85).
 */
export const BURNING_AT_C = 60;

/**
 * The model's status: `burning` on a fire's temperature, `dropped` when the sensor is tilted,
 * `ok` when it stands (tilt 0) and is not burning, `unknown` without a tilt reading. The model's
 * lidOpen, moved and vandalized have no sensor here.
 */
function status(live: ObjectLiveState | undefined): NgsiProperty {
  const temperature = live?.metrics.temperature;
  const tilt = live?.metrics.tilt;
  if (temperature && temperature.value >= BURNING_AT_C) return property('burning', { observedAt: temperature.time });
  if (tilt && tilt.value !== 0) return property('dropped', { observedAt: tilt.time });
  if (tilt) {
    const observedAt = latest(heldValues(live, ['tilt', 'temperature'])) ?? tilt.time;
    return property('ok', { observedAt });
  }
  return property('unknown');
}

export const wasteContainer: SmartDataModel = {
  type: 'WasteContainer',
  objectType: 'bin',
  context: 'https://raw.githubusercontent.com/smart-data-models/dataModel.WasteManagement/master/context.jsonld',
  attributeNames: [
    'name',
    'location',
    'address',
    'fillingLevel',
    'temperature',
    'status',
    'binCapacity',
    'storedWasteKind',
    'responsible',
  ],
  attributes(object: CityObjectRecord, live: ObjectLiveState | undefined) {
    const capacity = numberAttribute(object, 'volumeL');
    const kind = textAttribute(object, 'fraction');
    return defined({
      ...place(object),
      fillingLevel: measured(live, 'fill_level', { convert: fraction }),
      temperature: measured(live, 'temperature', { unitCode: 'CEL' }),
      status: status(live),
      binCapacity: capacity === undefined ? undefined : property(capacity, { unitCode: 'LTR' }),
      storedWasteKind: kind === undefined ? undefined : property(WASTE_KINDS.has(kind) ? kind : 'other'),
      responsible: object.ownerUtility === null ? undefined : property(object.ownerUtility),
    });
  },
};
