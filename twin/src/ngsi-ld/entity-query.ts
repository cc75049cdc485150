import type { ObjectLiveState } from '../contract/live.ts';
import { numberKey } from '../contract/object-number.ts';
import type { LiveTwin } from '../live/live-twin.ts';
import type { CityObjectRecord, ObjectLookup } from '../objects/object-record.ts';
import { parseEntityId } from './entity-id.ts';
import { modelOfType } from './index.ts';
import type { SmartDataModel } from './smart-data-model.ts';

/** What the queries read of the object index: lookups by number, and a type's objects in the index's order. */
export interface EntityObjects extends ObjectLookup {
  list(options: { type?: string; limit?: number }): CityObjectRecord[];
}

/** What the queries read of the live state. */
export interface EntityLiveState {
  objectState(number: string): ObjectLiveState | undefined;
  /** Number keys (numberKey) of the objects whose live state holds a value of one of `metrics`. */
  objectsWith(metrics: readonly string[]): ReadonlySet<string>;
}

/** The live twin as the queries read it. */
export function liveEntityState(live: LiveTwin): EntityLiveState {
  return {
    objectState: (number) => live.objectState(number),
    objectsWith(metrics) {
      const wanted = new Set(metrics);
      const slots = new Set<number>();
      // One pass over the held values (typed arrays), not a state built per object.
      live.state.forEachValue((slot, metric) => {
        if (wanted.has(metric)) slots.add(slot);
      });
      return new Set([...slots].map((slot) => numberKey(live.state.numberOf(slot))));
    },
  };
}

/** An entity found: its model, its object and the object's live state. */
export interface FoundEntity {
  model: SmartDataModel;
  object: CityObjectRecord;
  live: ObjectLiveState | undefined;
}

export interface EntityPage {
  entities: FoundEntity[];
  /** The number of entities the query matched, when it was asked for. */
  total?: number;
}

export interface EntityQuery {
  /** Only these ids (entities of the model among them, in this order, each once). */
  ids?: readonly string[];
  offset: number;
  limit: number;
  count: boolean;
}

/**
 * The entities of the city's objects: an object is an entity of the model of its type when the
 * model takes it (a water meter, not a heat meter) and, for a model that needs live values (a
 * Streetlight's controller), when its live state holds one. Pages follow the index's order of a
 * type's objects, which stays put between queries unless objects move or are added.
 */
export class EntityFinder {
  constructor(
    private readonly objects: EntityObjects,
    private readonly live: EntityLiveState,
  ) {}

  /** The entity an id names; undefined when no entity has it. */
  find(id: string): FoundEntity | undefined {
    const parsed = parseEntityId(id);
    const model = parsed && modelOfType(parsed.type);
    if (!parsed || !model) return undefined;
    const object = this.objects.get(parsed.number);
    if (!object || object.type !== model.objectType || (model.accepts && !model.accepts(object))) return undefined;
    const live = this.live.objectState(object.number);
    if (model.requiresMetrics && !model.requiresMetrics.some((m) => live?.metrics[m] !== undefined)) return undefined;
    return { model, object, live };
  }

  query(model: SmartDataModel, query: EntityQuery): EntityPage {
    const { offset, limit } = query;
    if (query.ids) {
      const matched: FoundEntity[] = [];
      const seen = new Set<string>();
      for (const id of query.ids) {
        const found = this.find(id);
        if (!found || found.model !== model || seen.has(found.object.number)) continue;
        seen.add(found.object.number);
        matched.push(found);
      }
      return { entities: matched.slice(offset, offset + limit), ...(query.count ? { total: matched.length } : {}) };
    }
    const filtered = model.accepts !== undefined || model.requiresMetrics !== undefined;
    if (!filtered && !query.count) {
      // Every object of the type is an entity: the index stops at the page's end.
      const page = this.objects.list({ type: model.objectType, limit: offset + limit }).slice(offset);
      return { entities: page.map((object) => this.entity(model, object)) };
    }
    const reporting = model.requiresMetrics ? this.live.objectsWith(model.requiresMetrics) : undefined;
    const objects = this.objects
      .list({ type: model.objectType })
      .filter((o) => (!model.accepts || model.accepts(o)) && (!reporting || reporting.has(numberKey(o.number))));
    return {
      entities: objects.slice(offset, offset + limit).map((object) => this.entity(model, object)),
      ...(query.count ? { total: objects.length } : {}),
    };
  }

  private entity(model: SmartDataModel, object: CityObjectRecord): FoundEntity {
    return { model, object, live: this.live.objectState(object.number) };
  }
}
