import { type Static, Type } from 'typebox';

/**
 * What the dashboard's map draws from: the base map (districts and streets, GeoJSON), every
 * object in columns, and the objects' live state in columns aligned with them.
 *
 * Objects travel as JSON columns rather than GeoJSON or a binary blob: the wall turns them into
 * typed arrays at once (no per-feature objects), the columns gzip to a fraction (one type id and
 * one district id per object, numbers that share prefixes), and the answer stays a documented,
 * schema-checked JSON like the rest of the API. Coordinates are rounded to 1e-6 degrees (~0.1 m).
 */

const Count = Type.Integer({ minimum: 0 });
const Position = Type.Array(Type.Number(), { minItems: 2, maxItems: 3 });

/** Most vertices one street may have: a street is a few hundred at most; a file is read as an attacker wrote it. */
export const STREET_LIMITS = { vertices: 5000, streets: 50_000, totalVertices: 2_000_000, name: 200 } as const;

export const MapDistrictFeature = Type.Object({
  type: Type.Literal('Feature'),
  geometry: Type.Object({
    type: Type.Union([Type.Literal('Polygon'), Type.Literal('MultiPolygon')]),
    coordinates: Type.Array(Type.Unknown()),
  }),
  properties: Type.Object({
    kind: Type.Literal('district'),
    code: Type.String(),
    name: Type.String(),
    nameEn: Type.Union([Type.String(), Type.Null()]),
  }),
});

export const MapStreetFeature = Type.Object({
  type: Type.Literal('Feature'),
  geometry: Type.Object({ type: Type.Literal('LineString'), coordinates: Type.Array(Position) }),
  properties: Type.Object({
    kind: Type.Literal('street'),
    name: Type.String(),
    district: Type.Union([Type.String(), Type.Null()]),
  }),
});

/** `GET /api/v1/map/base`: the districts (`kind: "district"`), then the streets (`kind: "street"`). */
export const MapBase = Type.Object({
  type: Type.Literal('FeatureCollection'),
  features: Type.Array(Type.Union([MapDistrictFeature, MapStreetFeature])),
});
export type MapBase = Static<typeof MapBase>;

/**
 * `GET /api/v1/map/objects`: object i is `numbers[i]`, of type `types[type[i]]`, at
 * (`lon[i]`, `lat[i]`), in district `districts[district[i]]` (null: outside every district).
 * `version` changes whenever an object is added, moved or removed; the state's `objectsVersion`
 * says which order its indexes refer to.
 */
export const MapObjects = Type.Object({
  version: Type.String(),
  count: Count,
  types: Type.Array(Type.String()),
  type: Type.Array(Count),
  numbers: Type.Array(Type.String()),
  lon: Type.Array(Type.Number()),
  lat: Type.Array(Type.Number()),
  districts: Type.Array(Type.Union([Type.String(), Type.Null()])),
  district: Type.Array(Count),
});
export type MapObjects = Static<typeof MapObjects>;

/** Health codes of the state's `health` column: 0 no device, then LIVE_HEALTH's order. */
export const MAP_HEALTH = ['none', 'ok', 'stale', 'offline'] as const;
export type MapHealth = (typeof MAP_HEALTH)[number];

/** Lamp codes of the state's `lamp` column. */
export const MAP_LAMP = ['none', 'on', 'off', 'failed'] as const;
export type MapLamp = (typeof MAP_LAMP)[number];

/**
 * `GET /api/v1/map/state`: only objects with a live state, sparse: the k-th entry is object
 * `index[k]` of the objects answer whose `version` is `objectsVersion`. `fill` is a bin's fill
 * level in % (-1: none reported); `health` and `lamp` are codes of MAP_HEALTH and MAP_LAMP.
 */
export const MapState = Type.Object({
  objectsVersion: Type.String(),
  at: Type.String({ format: 'date-time' }),
  index: Type.Array(Count),
  health: Type.Array(Type.Integer({ minimum: 0, maximum: MAP_HEALTH.length - 1 })),
  fill: Type.Array(Type.Number()),
  lamp: Type.Array(Type.Integer({ minimum: 0, maximum: MAP_LAMP.length - 1 })),
});
export type MapState = Static<typeof MapState>;
