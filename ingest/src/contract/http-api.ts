import { type Static, Type } from 'typebox';
import { DEVICE_CLASSES } from './codec.ts';
import { DEAD_LETTER_REASONS } from './dead-letter-reasons.ts';
import { DeviceSettings, DownlinkCommand } from './device-schemas.ts';
import { ErrorBody } from './http-errors.ts';

/**
 * Requests and answers of ingest's HTTP routes (devices, readings, codecs, downlinks, dead
 * letters, health) under /api/v1. The routes validate with these schemas and take their
 * TypeScript types from them; the OpenAPI page is generated from them; clients import them.
 */

/** An instant as the API writes it: ISO 8601 text. */
const Instant = Type.String({ format: 'date-time' });
/** An instant a client asks about: ISO 8601, in years the database stores (1970-2199). */
const QueryInstant = (description: string) =>
  Type.String({ format: 'date-time', pattern: '^(19[7-9][0-9]|2[01][0-9]{2})-', maxLength: 40, description });
const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(t: T) => Type.Union([t, Type.Null()]);

export const DevEui = Type.String({
  pattern: '^[0-9a-fA-F]{16}$',
  maxLength: 16,
  description: 'LoRaWAN DevEUI, 16 hex digits',
});
export const DevEuiParams = Type.Object({ devEui: DevEui });
export type DevEuiParams = Static<typeof DevEuiParams>;

const ModelId = Type.String({ minLength: 3, maxLength: 100, examples: ['milesight-iot/em310-udl'] });
const ObjectNumber = Type.String({ maxLength: 64, description: 'number of the city object it is mounted on' });

/** The fields of a registration a client sets. */
const editable = {
  model: ModelId,
  name: Type.String({ maxLength: 200 }),
  applicationId: Type.String({ maxLength: 100 }),
  objectNumber: Nullable(ObjectNumber),
  settings: DeviceSettings,
};

export const NewDevice = Type.Object(
  {
    devEui: DevEui,
    model: editable.model,
    name: Type.Optional(editable.name),
    applicationId: Type.Optional(editable.applicationId),
    objectNumber: Type.Optional(editable.objectNumber),
    settings: Type.Optional(editable.settings),
  },
  { additionalProperties: false },
);
export type NewDevice = Static<typeof NewDevice>;

export const DevicePatch = Type.Partial(Type.Object(editable), { additionalProperties: false, minProperties: 1 });
export type DevicePatch = Static<typeof DevicePatch>;

export const Device = Type.Object({
  devEui: Type.String(),
  ...editable,
  createdAt: Instant,
  lastSeen: Nullable(Instant),
  fCnt: Nullable(Type.Number()),
  battery: Nullable(Type.Number()),
  rssi: Nullable(Type.Number()),
  snr: Nullable(Type.Number()),
  margin: Nullable(Type.Number()),
});
export type Device = Static<typeof Device>;

export const DeviceQuery = Type.Object(
  {
    model: Type.Optional(Type.String({ maxLength: 100 })),
    objectNumber: Type.Optional(ObjectNumber),
    limit: Type.Integer({ minimum: 1, maximum: 10_000, default: 100 }),
    offset: Type.Integer({ minimum: 0, maximum: 1_000_000_000, default: 0 }),
  },
  { additionalProperties: false },
);
export type DeviceQuery = Static<typeof DeviceQuery>;

export const ReadingsQuery = Type.Object(
  {
    metric: Type.Optional(Type.String({ pattern: '^[a-z0-9_]+$', maxLength: 64 })),
    from: Type.Optional(QueryInstant('default: `to` minus one day')),
    to: Type.Optional(QueryInstant('default: now')),
    bucket: Type.Optional(
      Type.String({ pattern: '^[1-9][0-9]{0,3}[smhd]$', maxLength: 5, examples: ['15m', '1h', '1d'] }),
    ),
    limit: Type.Integer({ minimum: 1, maximum: 100_000, default: 10_000 }),
  },
  { additionalProperties: false },
);
export type ReadingsQuery = Static<typeof ReadingsQuery>;

/** One raw reading, or one bucket (value = average, with min, max and count). */
export const SeriesPoint = Type.Object({
  time: Instant,
  metric: Type.String(),
  value: Type.Number(),
  min: Type.Optional(Type.Number()),
  max: Type.Optional(Type.Number()),
  count: Type.Optional(Type.Integer()),
});
export type SeriesPoint = Static<typeof SeriesPoint>;

export const CodecInfo = Type.Object({
  model: Type.String({ examples: ['milesight-iot/em310-udl'] }),
  class: Type.Enum(DEVICE_CLASSES),
  vendor: Type.String(),
  name: Type.String(),
  metrics: Type.Array(Type.String()),
});
export type CodecInfo = Static<typeof CodecInfo>;

export const CodecParams = Type.Object({
  vendor: Type.String({ maxLength: 50 }),
  codec: Type.String({ maxLength: 50 }),
});

export const DecodeRequest = Type.Object(
  {
    fPort: Type.Integer({ minimum: 0, maximum: 255 }),
    bytes: Type.String({ pattern: '^([0-9a-fA-F]{2})*$', maxLength: 1024, description: 'payload as hex' }),
  },
  { additionalProperties: false },
);
export type DecodeRequest = Static<typeof DecodeRequest>;

export const DecodeResponse = Type.Object({
  data: Type.Object({}, { additionalProperties: true }),
  warnings: Type.Array(Type.String()),
  metrics: Type.Array(Type.Object({ metric: Type.String(), value: Type.Number() })),
});

/** A payload the codec rejected: its errors, as TTN's decodeUplink gives them. */
export const DecodeFailure = Type.Object({ ...ErrorBody.properties, errors: Type.Array(Type.String()) });

export const DownlinkRequest = Type.Object(
  { command: DownlinkCommand, confirmed: Type.Boolean({ default: false }) },
  { additionalProperties: false },
);
export type DownlinkRequest = Static<typeof DownlinkRequest>;

export const DownlinkAccepted = Type.Object({
  topic: Type.String(),
  fPort: Type.Integer(),
  bytes: Type.String({ description: 'hex' }),
  confirmed: Type.Boolean(),
});

export const DeadLetterQuery = Type.Object(
  {
    reason: Type.Optional(Type.Enum(Object.keys(DEAD_LETTER_REASONS))),
    devEui: Type.Optional(DevEui),
    limit: Type.Integer({ minimum: 1, maximum: 1000, default: 100 }),
    beforeId: Type.Optional(Type.Integer({ minimum: 1, description: 'page: ids below this one' })),
  },
  { additionalProperties: false },
);
export type DeadLetterQuery = Static<typeof DeadLetterQuery>;

export const DeadLetter = Type.Object({
  id: Type.Integer(),
  receivedAt: Instant,
  topic: Type.String(),
  reason: Type.String(),
  detail: Type.String(),
  devEui: Nullable(Type.String()),
  payloadHex: Type.String({ description: 'the payload as stored: at most DEAD_LETTER_PAYLOAD_KB of it' }),
  payloadBytes: Type.Integer({ description: 'the payload size as received' }),
});
export type DeadLetter = Static<typeof DeadLetter>;

/** `/api/v1/health`: each component's state and details; 200 when all are up, 503 otherwise. */
export const Health = Type.Object({
  status: Type.Enum(['ok', 'degraded']),
  components: Type.Record(Type.String(), Type.Object({ up: Type.Boolean() }, { additionalProperties: true })),
});
export type Health = Static<typeof Health>;
export type ComponentHealth = Health['components'][string];
