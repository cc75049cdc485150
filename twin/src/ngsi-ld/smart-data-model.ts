import type { MetricName } from '@city/ingest/contract';
import type { ObjectLiveState } from '../contract/live.ts';
import type { NgsiAttribute } from '../contract/ngsi-ld.ts';
import type { ObjectType } from '../contract/object-types.ts';
import type { CityObjectRecord } from '../objects/object-record.ts';

/** An entity's attributes by name; one that has no value is left out, not null. */
export type NgsiAttributes = Record<string, NgsiAttribute>;

/**
 * How objects of one type are an entity type of FIWARE's Smart Data Models: the model's name
 * and @context, and its attributes from the object and its live state - named, typed and in
 * the units the model's schema.json says (a fill level of 0..1, not %).
 */
export interface SmartDataModel {
  /** The entity type, as the model spells it. */
  type: string;
  /** The object type whose objects are entities of the model. */
  objectType: ObjectType;
  /** The model's JSON-LD @context (its domain's context.jsonld). */
  context: string;
  /** Every attribute `attributes` may give, as the model's schema.json names it (a test holds them to it). */
  attributeNames: readonly string[];
  /** Metrics an object's live state needs one of to be an entity (a pole is a Streetlight once a lamp controller reports); none: every object of the type. */
  requiresMetrics?: readonly MetricName[];
  /** Whether an object of the type is an entity of the model (a heat meter is no WaterConsumptionObserved); none: all are. */
  accepts?(object: CityObjectRecord): boolean;
  attributes(object: CityObjectRecord, live: ObjectLiveState | undefined): NgsiAttributes;
}
