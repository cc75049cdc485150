import { type Static, Type } from 'typebox';
import { DISTRICT_CODE, OBJECT_LIMITS, TYPE_ID } from './objects.ts';

/** `GET /api/v1/objects`: numbered objects near a point, in a box, in a district, or of a type. */

export const OBJECT_QUERY_LIMITS = {
  /** Metres of `radius`: a district's width; farther is a bbox or district query. */
  radiusM: 50_000,
  /** Objects `k` may ask for. */
  k: 100,
  /** Objects one answer holds. */
  limit: 1000,
} as const;

/** A decimal number of degrees, as a query string writes it. */
const DEGREES = '-?[0-9]{1,3}(\\.[0-9]{1,15})?';

export const ObjectQuery = Type.Object(
  {
    type: Type.Optional(Type.String({ pattern: TYPE_ID, maxLength: OBJECT_LIMITS.typeId, examples: ['bin'] })),
    district: Type.Optional(
      Type.String({ pattern: DISTRICT_CODE, maxLength: OBJECT_LIMITS.districtCode, examples: ['03'] }),
    ),
    bbox: Type.Optional(
      Type.String({
        pattern: `^${DEGREES},${DEGREES},${DEGREES},${DEGREES}$`,
        maxLength: 80,
        description: 'west,south,east,north in degrees (west ≤ east: no box across the antimeridian)',
        examples: ['35.10,47.82,35.16,47.86'],
      }),
    ),
    near: Type.Optional(
      Type.String({
        pattern: `^${DEGREES},${DEGREES}$`,
        maxLength: 40,
        description: 'lat,lon in degrees; with `radius` (objects within it) or `k` (the k nearest), nearest first',
        examples: ['47.8388,35.1396'],
      }),
    ),
    radius: Type.Optional(
      Type.Number({
        exclusiveMinimum: 0,
        maximum: OBJECT_QUERY_LIMITS.radiusM,
        description: 'metres around `near`; with `k`, the farthest a neighbour may be',
      }),
    ),
    k: Type.Optional(
      Type.Integer({ minimum: 1, maximum: OBJECT_QUERY_LIMITS.k, description: 'the k objects nearest to `near`' }),
    ),
    limit: Type.Integer({ minimum: 1, maximum: OBJECT_QUERY_LIMITS.limit, default: 100 }),
  },
  { additionalProperties: false },
);
export type ObjectQuery = Static<typeof ObjectQuery>;

const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(t: T) => Type.Union([t, Type.Null()]);

/** One object of a list: the registry's fields, codes and ids as they are (labels come from the object types). */
export const ObjectListItem = Type.Object({
  number: Type.String({ examples: ['ОП-03-00417'] }),
  type: Type.String({ examples: ['pole'] }),
  lat: Type.Number(),
  lon: Type.Number(),
  district: Nullable(Type.String()),
  address: Nullable(Type.String()),
  ownerUtility: Nullable(Type.String()),
  attributes: Type.Record(Type.String(), Type.Union([Type.String(), Type.Number(), Type.Boolean()])),
  distanceM: Type.Optional(Type.Number({ description: 'from `near`, metres' })),
});
export type ObjectListItem = Static<typeof ObjectListItem>;

export const ObjectList = Type.Object({
  objects: Type.Array(ObjectListItem),
  truncated: Type.Boolean({ description: 'more objects match than `limit` let through' }),
});
export type ObjectList = Static<typeof ObjectList>;
