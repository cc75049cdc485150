import type { MetricName } from '@city/ingest/contract';
import type { LiveValue, ObjectLiveState } from '../contract/live.ts';
import type { NgsiAttribute, NgsiGeoProperty, NgsiProperty } from '../contract/ngsi-ld.ts';
import type { CityObjectRecord } from '../objects/object-record.ts';
import type { NgsiAttributes } from './smart-data-model.ts';

/** The blocks the models' mappings are built of: a Property, a measured one, the object's place. */

export function property(value: unknown, meta: { observedAt?: string; unitCode?: string } = {}): NgsiProperty {
  return { type: 'Property', value, ...meta };
}

export interface Measured {
  /** The value in the model's unit from the metric's (the vocabulary's) unit. */
  convert?: (value: number) => number;
  /** UN/CEFACT common code of the unit, when the model leaves it open. */
  unitCode?: string;
}

/** The newest value of `metric` as a Property observed when it was measured; undefined before any. */
export function measured(
  live: ObjectLiveState | undefined,
  metric: MetricName,
  { convert, unitCode }: Measured = {},
): NgsiProperty | undefined {
  const held = live?.metrics[metric];
  if (!held) return undefined;
  return property(convert ? convert(held.value) : held.value, {
    observedAt: held.time,
    ...(unitCode ? { unitCode } : {}),
  });
}

/** The held values of `metrics` that the live state has. */
export function heldValues(live: ObjectLiveState | undefined, metrics: readonly MetricName[]): LiveValue[] {
  const values: LiveValue[] = [];
  for (const metric of metrics) {
    const held = live?.metrics[metric];
    if (held) values.push(held);
  }
  return values;
}

/** The latest of some values' times (ISO 8601 strings of one format order as their instants do). */
export function latest(values: readonly LiveValue[]): string | undefined {
  let newest: string | undefined;
  for (const v of values) if (newest === undefined || v.time > newest) newest = v.time;
  return newest;
}

/** A percentage as the 0..1 fraction the models use (fillingLevel, illuminanceLevel, relativeHumidity); a sensor's 101 % is 1. */
export function fraction(percent: number): number {
  return Math.min(1, Math.max(0, Math.round(percent * 100) / 10_000));
}

/** 1 for a flag that is set, 0 otherwise (the readings' booleans are numbers already; this keeps them 0/1). */
export function flag(value: number): number {
  return value === 0 ? 0 : 1;
}

export function location(object: CityObjectRecord): NgsiGeoProperty {
  return { type: 'GeoProperty', value: { type: 'Point', coordinates: [object.lon, object.lat] } };
}

/**
 * What every model of a city object has (GSMA-Commons and Location-Commons of the Smart Data
 * Models): `name` the number painted on it, `location`, and `address` (schema.org's
 * streetAddress, and the district's code as `district`) when the registry knows either.
 */
export function place(object: CityObjectRecord): NgsiAttributes {
  const attrs: NgsiAttributes = { name: property(object.number), location: location(object) };
  if (object.address !== null || object.district !== null) {
    attrs.address = property({
      ...(object.address !== null ? { streetAddress: object.address } : {}),
      ...(object.district !== null ? { district: object.district } : {}),
    });
  }
  return attrs;
}

/** The object's numeric attribute `name`, if it has one. */
export function numberAttribute(object: CityObjectRecord, name: string): number | undefined {
  const value = object.attributes[name];
  return typeof value === 'number' ? value : undefined;
}

/** The object's text attribute `name`, if it has one. */
export function textAttribute(object: CityObjectRecord, name: string): string | undefined {
  const value = object.attributes[name];
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/** The attributes that have a value. */
export function defined(attrs: Record<string, NgsiAttribute | undefined>): NgsiAttributes {
  const out: NgsiAttributes = {};
  for (const [name, attr] of Object.entries(attrs)) if (attr !== undefined) out[name] = attr;
  return out;
}
