import type { ObjectLiveState } from '../contract/live.ts';
import type { CityObjectRecord } from '../objects/object-record.ts';

/** Test fixtures of the models' tests: an object of the registry and a live state of given values. */

export function cityObject(o: Partial<CityObjectRecord> & Pick<CityObjectRecord, 'number' | 'type'>): CityObjectRecord {
  return {
    lat: 47.8388,
    lon: 35.1396,
    district: '03',
    address: null,
    ownerUtility: null,
    attributes: {},
    ...o,
  };
}

/** A live state holding `values`: metric -> [value, ISO time]. */
export function liveState(number: string, values: Record<string, [number, string]>): ObjectLiveState {
  const metrics: ObjectLiveState['metrics'] = {};
  let lastSeen = '1970-01-01T00:00:00.000Z';
  for (const [metric, [value, time]] of Object.entries(values)) {
    metrics[metric] = { value, time, devEui: '24e124136b316000' };
    if (time > lastSeen) lastSeen = time;
  }
  return { number, lastSeen, health: 'ok', metrics };
}
