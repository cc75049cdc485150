import type { ObjectList, ObjectListItem, ObjectQuery } from '../contract/object-query.ts';
import type { ObjectFilter, ObjectIndex, ObjectNear } from './object-index.ts';
import type { CityObjectRecord } from './object-record.ts';

/** What `GET /objects` runs, its parameters checked beyond what the schema can say. */
export type ObjectQueryPlan = { filter: ObjectFilter; limit: number } & (
  | { kind: 'nearest'; lat: number; lon: number; k: number; maxDistanceM?: number }
  | { kind: 'near'; lat: number; lon: number; radiusM: number }
  | { kind: 'bbox'; west: number; south: number; east: number; north: number }
  | { kind: 'list' }
);

/** The plan of a query, or what is wrong with it (the schema has checked the shapes: numbers, ranges of k and radius). */
export function planObjectQuery(query: ObjectQuery): ObjectQueryPlan | { problem: string } {
  const filter: ObjectFilter = {
    ...(query.type === undefined ? {} : { type: query.type }),
    ...(query.district === undefined ? {} : { district: query.district }),
  };
  const { limit } = query;
  if (query.near !== undefined) {
    if (query.bbox !== undefined) return { problem: 'give `near` or `bbox`, not both' };
    const [lat, lon] = query.near.split(',').map(Number) as [number, number];
    const wrong = latitudeProblem('near', lat) ?? longitudeProblem('near', lon);
    if (wrong) return { problem: wrong };
    if (query.k !== undefined) {
      return { kind: 'nearest', lat, lon, k: query.k, maxDistanceM: query.radius, filter, limit };
    }
    if (query.radius === undefined) return { problem: '`near` needs `radius` (metres) or `k` (the k nearest)' };
    return { kind: 'near', lat, lon, radiusM: query.radius, filter, limit };
  }
  if (query.radius !== undefined || query.k !== undefined) return { problem: '`radius` and `k` need `near=lat,lon`' };
  if (query.bbox !== undefined) {
    const [west, south, east, north] = query.bbox.split(',').map(Number) as [number, number, number, number];
    const wrong =
      longitudeProblem('bbox west', west) ??
      latitudeProblem('bbox south', south) ??
      longitudeProblem('bbox east', east) ??
      latitudeProblem('bbox north', north) ??
      (west > east ? 'bbox is west,south,east,north: west is east of east' : undefined) ??
      (south > north ? 'bbox is west,south,east,north: south is north of north' : undefined);
    if (wrong) return { problem: wrong };
    return { kind: 'bbox', west, south, east, north, filter, limit };
  }
  return { kind: 'list', filter, limit };
}

/** The plan's answer from the index: at most `limit` objects, nearest first when there is a point. */
export function runObjectQuery(index: ObjectIndex, plan: ObjectQueryPlan): ObjectList {
  const { filter, limit } = plan;
  // One more than the limit says whether the answer is cut short.
  const over = { ...filter, limit: limit + 1 };
  switch (plan.kind) {
    case 'nearest': {
      const hits = index.nearest(plan.lat, plan.lon, Math.min(plan.k, limit), {
        ...filter,
        maxDistanceM: plan.maxDistanceM,
      });
      return { objects: hits.map(withDistance), truncated: plan.k > limit && hits.length === limit };
    }
    case 'near':
      return cut(index.near(plan.lat, plan.lon, plan.radiusM, over).map(withDistance), limit);
    case 'bbox':
      return cut(index.bbox(plan.west, plan.south, plan.east, plan.north, over).map(item), limit);
    case 'list':
      return cut(index.list(over).map(item), limit);
  }
}

function cut(objects: ObjectListItem[], limit: number): ObjectList {
  const truncated = objects.length > limit;
  if (truncated) objects.length = limit;
  return { objects, truncated };
}

function item(object: CityObjectRecord): ObjectListItem {
  return object;
}

function withDistance(hit: ObjectNear): ObjectListItem {
  return { ...hit.object, distanceM: Math.round(hit.distanceM * 10) / 10 };
}

function latitudeProblem(name: string, value: number): string | undefined {
  return value >= -90 && value <= 90 ? undefined : `${name}: latitude ${value} is not within -90..90`;
}

function longitudeProblem(name: string, value: number): string | undefined {
  return value >= -180 && value <= 180 ? undefined : `${name}: longitude ${value} is not within -180..180`;
}
