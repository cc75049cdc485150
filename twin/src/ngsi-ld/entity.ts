import type { ObjectLiveState } from '../contract/live.ts';
import { NGSI_LD_CORE_CONTEXT, type NgsiAttribute, type NgsiLdEntity } from '../contract/ngsi-ld.ts';
import type { CityObjectRecord } from '../objects/object-record.ts';
import { entityId } from './entity-id.ts';
import type { SmartDataModel } from './smart-data-model.ts';

export interface Representation {
  /** keyValues: each attribute as its plain value (a Relationship as its object's id). */
  keyValues: boolean;
  /** Whether the @context goes in the body (JSON-LD) or in a Link header (JSON). */
  withContext: boolean;
}

/** The @context of a model's entities in a JSON-LD body: the model's, then NGSI-LD's core. */
export function contextOf(model: SmartDataModel): string[] {
  return [model.context, NGSI_LD_CORE_CONTEXT];
}

/** An object with its live state as an entity of `model`. */
export function toEntity(
  model: SmartDataModel,
  object: CityObjectRecord,
  live: ObjectLiveState | undefined,
  representation: Representation,
): NgsiLdEntity {
  const entity: NgsiLdEntity = { id: entityId(model.type, object.number), type: model.type };
  for (const [name, attribute] of Object.entries(model.attributes(object, live))) {
    entity[name] = representation.keyValues ? plainValue(attribute) : attribute;
  }
  if (representation.withContext) entity['@context'] = contextOf(model);
  return entity;
}

function plainValue(attribute: NgsiAttribute): unknown {
  return attribute.type === 'Relationship' ? attribute.object : attribute.value;
}
