import { BINDING_REASONS, DevEui } from '@city/ingest/contract';
import { type Static, Type } from 'typebox';

/**
 * What the twin knows of its objects right now, and which device is on which object: the live
 * state of an object, the districts' aggregates the wall's KPIs and air map read, and the
 * device-object bindings with their history.
 */

const Instant = Type.String({ format: 'date-time' });
const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(t: T) => Type.Union([t, Type.Null()]);
const ObjectNumber = Type.String({ minLength: 1, maxLength: 64, description: 'a city object number, `ОП-03-00417`' });

/**
 * How a device, or an object from its devices, is doing: `ok` while it reports about as often as
 * its class is expected to, `stale` once it missed a few reports, `offline` once it missed many.
 */
export const LIVE_HEALTH = ['ok', 'stale', 'offline'] as const;
export type LiveHealth = (typeof LIVE_HEALTH)[number];

/** The European Air Quality Index bands (EEA), best first; `band` 1-6 indexes this list. */
export const EAQI_LEVELS = ['good', 'fair', 'moderate', 'poor', 'very_poor', 'extremely_poor'] as const;
export type EaqiLevel = (typeof EAQI_LEVELS)[number];

/** The pollutants of the index, by their metric names. */
export const EAQI_POLLUTANTS = ['pm25', 'pm10', 'no2', 'o3', 'so2'] as const;
export type EaqiPollutant = (typeof EAQI_POLLUTANTS)[number];

export const LiveValue = Type.Object({
  value: Type.Number(),
  time: Instant,
  devEui: Type.String({ description: 'the device that measured it' }),
});
export type LiveValue = Static<typeof LiveValue>;

export const ObjectLiveState = Type.Object({
  number: Type.String(),
  lastSeen: Instant,
  health: Type.Enum(LIVE_HEALTH),
  /** By metric name (the city metric vocabulary): the newest value held. */
  metrics: Type.Record(Type.String({ maxLength: 32 }), LiveValue),
});
export type ObjectLiveState = Static<typeof ObjectLiveState>;

const Count = Type.Integer({ minimum: 0 });

export const DistrictAir = Type.Object({
  band: Nullable(
    Type.Integer({
      minimum: 1,
      maximum: 6,
      description: '1 good ... 6 extremely poor; null without a station reporting',
    }),
  ),
  level: Nullable(Type.Enum(EAQI_LEVELS)),
  /** The pollutant whose band sets the district's (the worst one). */
  pollutant: Nullable(Type.Enum(EAQI_POLLUTANTS)),
  /** Stations with a fresh value of at least one pollutant. */
  stations: Count,
  /** Per pollutant measured: the mean of the stations' newest fresh values, and its band. */
  pollutants: Type.Record(
    Type.String({ maxLength: 8 }),
    Type.Object({ mean: Type.Number(), band: Type.Integer({ minimum: 1, maximum: 6 }), stations: Count }),
  ),
});
export type DistrictAir = Static<typeof DistrictAir>;

export const DistrictAggregate = Type.Object({
  /** District code; null for objects outside every district (or not in the registry). */
  district: Nullable(Type.String()),
  air: DistrictAir,
  devices: Type.Object({
    /** Devices bound to objects of the district. */
    total: Count,
    /** Reporting: ok or stale. */
    online: Count,
    /** Of those online, the ones that missed a few reports. */
    stale: Count,
    offline: Count,
    /** Online (ok or stale) share, 0-100; null without devices. */
    onlinePct: Nullable(Type.Number()),
  }),
  /** Objects reporting a fill level, and those over 85 % full. */
  bins: Type.Object({ total: Count, over85: Count }),
  /** Objects reporting lamp faults, and those whose lamp has failed (`lamp_failure` = 1). */
  lights: Type.Object({ total: Count, failed: Count }),
});
export type DistrictAggregate = Static<typeof DistrictAggregate>;

export const DistrictAggregates = Type.Object({
  at: Instant,
  districts: Type.Array(DistrictAggregate),
});
export type DistrictAggregates = Static<typeof DistrictAggregates>;

export const Binding = Type.Object({
  devEui: Type.String(),
  objectNumber: Type.String(),
  boundAt: Instant,
  boundBy: Nullable(Type.String({ description: 'who bound it; null when no one said (zero-touch)' })),
  boundReason: Type.Enum(BINDING_REASONS),
  unboundAt: Nullable(Instant),
  unboundBy: Nullable(Type.String()),
  unboundReason: Nullable(Type.Enum(BINDING_REASONS)),
});
export type Binding = Static<typeof Binding>;

export const BindingHistoryQuery = Type.Object(
  { limit: Type.Integer({ minimum: 1, maximum: 1000, default: 100 }) },
  { additionalProperties: false },
);
export type BindingHistoryQuery = Static<typeof BindingHistoryQuery>;

export const BindRequest = Type.Object({ devEui: DevEui, objectNumber: ObjectNumber }, { additionalProperties: false });
export type BindRequest = Static<typeof BindRequest>;

export const BindingChange = Type.Object({
  devEui: Type.String(),
  /** The object it is on now; null once unbound. */
  objectNumber: Nullable(Type.String()),
  /** The object it was on before; null if it was on none. */
  previous: Nullable(Type.String()),
  changed: Type.Boolean({ description: 'false when it was so already' }),
});
export type BindingChange = Static<typeof BindingChange>;
