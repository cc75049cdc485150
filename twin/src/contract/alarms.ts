import { type Static, Type } from 'typebox';
import { PlainText } from './reports.ts';

/**
 * Alarms: what the rules raise from readings and silences, how staff work them, and the district
 * outages many of them roll up into. The rules themselves are in `alarm-rules.ts`.
 */

const Instant = Type.String({ format: 'date-time' });
const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(t: T) => Type.Union([t, Type.Null()]);

/** Worst first (API.md vocabulary). */
export const ALARM_SEVERITIES = ['critical', 'major', 'minor', 'warning'] as const;
export type AlarmSeverity = (typeof ALARM_SEVERITIES)[number];

/** An alarm type id (`bin_full`, `water_leak`): what a rule's alarms are called. */
export const AlarmTypeId = Type.String({ pattern: '^[a-z][a-z0-9_]{0,63}$', maxLength: 64 });

export const Alarm = Type.Object({
  id: Type.Integer(),
  type: AlarmTypeId,
  severity: Type.Enum(ALARM_SEVERITIES),
  /** `active` until its rule or a staff member clears it. */
  status: Type.Enum(['active', 'cleared']),
  acknowledged: Type.Boolean(),
  /** The object's number, or `device:{devEui}` for a device bound to no object. */
  subject: Type.String(),
  objectNumber: Nullable(Type.String()),
  objectType: Nullable(Type.String()),
  district: Nullable(Type.String()),
  utility: Nullable(Type.String({ description: 'who works it; a dispatcher sees and acts on their own' })),
  devEui: Nullable(Type.String()),
  lat: Nullable(Type.Number()),
  lon: Nullable(Type.Number()),
  ruleId: Nullable(Type.String()),
  message: Type.String(),
  value: Nullable(Type.Number({ description: 'the latest value that met the rule' })),
  count: Type.Integer({ minimum: 1, description: 'readings that met the rule while it was active, each counted once' }),
  raisedAt: Instant,
  /** Device times of the first and latest readings that counted. */
  firstReadingAt: Instant,
  lastReadingAt: Instant,
  updatedAt: Instant,
  acknowledgedAt: Nullable(Instant),
  acknowledgedBy: Nullable(Type.String()),
  clearedAt: Nullable(Instant),
  clearedBy: Nullable(Type.String({ description: 'a staff member, or `rule`' })),
  assignee: Nullable(Type.String()),
  escalatedAt: Nullable(Instant),
  outageId: Nullable(Type.Integer({ description: 'the district outage it is part of' })),
});
export type Alarm = Static<typeof Alarm>;

export const ALARM_EVENT_KINDS = [
  'raised',
  'acknowledged',
  'assigned',
  'commented',
  'escalated',
  'severity',
  'cleared',
] as const;
export type AlarmEventKind = (typeof ALARM_EVENT_KINDS)[number];

/** One entry of an alarm's history. */
export const AlarmEvent = Type.Object({
  id: Type.Integer(),
  at: Instant,
  kind: Type.Enum(ALARM_EVENT_KINDS),
  actor: Nullable(Type.String({ description: 'staff member or API key; null for the rule engine' })),
  comment: Nullable(Type.String()),
  detail: Nullable(
    Type.Object(
      {
        assignee: Type.Optional(Nullable(Type.String())),
        from: Type.Optional(Type.Enum(ALARM_SEVERITIES)),
        to: Type.Optional(Type.Enum(ALARM_SEVERITIES)),
      },
      { description: '`assigned`: the assignee (null: unassigned); `severity`: from and to' },
    ),
  ),
});
export type AlarmEvent = Static<typeof AlarmEvent>;

/** A district outage: many alarms of one family in one district, as one event. */
export const Outage = Type.Object({
  id: Type.Integer(),
  /** The alarm family: `water`, `lighting`... */
  kind: Type.String(),
  district: Type.String(),
  severity: Type.Enum(ALARM_SEVERITIES),
  status: Type.Enum(['active', 'cleared']),
  startedAt: Instant,
  updatedAt: Instant,
  clearedAt: Nullable(Instant),
  /** The objects of its alarms (active ones, and those that cleared while it lasted). */
  objects: Type.Array(
    Type.Object({
      number: Type.String(),
      alarmId: Type.Integer(),
      alarmType: Type.String(),
      active: Type.Boolean(),
    }),
  ),
});
export type Outage = Static<typeof Outage>;

/** An instant a client asks about: ISO 8601, in years the database stores (1970-2199). */
const QueryInstant = (description: string) =>
  Type.String({ format: 'date-time', pattern: '^(19[7-9][0-9]|2[01][0-9]{2})-', maxLength: 40, description });

/** Most alarms one page of `GET /alarms` holds. */
export const MAX_ALARM_PAGE = 500;

export const AlarmQuery = Type.Object(
  {
    status: Type.Optional(Type.Enum(['active', 'cleared'])),
    acknowledged: Type.Optional(Type.Boolean()),
    severity: Type.Optional(Type.Enum(ALARM_SEVERITIES)),
    type: Type.Optional(AlarmTypeId),
    district: Type.Optional(Type.String({ maxLength: 64 })),
    object: Type.Optional(Type.String({ maxLength: 64, description: "the object's number" })),
    utility: Type.Optional(Type.String({ maxLength: 64, description: 'a dispatcher sees only their own' })),
    since: Type.Optional(QueryInstant('raised at or after')),
    limit: Type.Integer({ minimum: 1, maximum: MAX_ALARM_PAGE, default: 100 }),
    cursor: Type.Optional(
      Type.String({
        pattern: '^[A-Za-z0-9_-]{1,128}$',
        maxLength: 128,
        description: 'the `nextCursor` of the page before',
      }),
    ),
  },
  { additionalProperties: false },
);
export type AlarmQuery = Static<typeof AlarmQuery>;

/** Alarms newest first (by raise time); `nextCursor` fetches the next page, null after the last. */
export const AlarmPage = Type.Object({ alarms: Type.Array(Alarm), nextCursor: Nullable(Type.String()) });
export type AlarmPage = Static<typeof AlarmPage>;

export const AlarmDetail = Type.Object({
  alarm: Alarm,
  /** Oldest first; comments are history entries too. */
  history: Type.Array(AlarmEvent),
});
export type AlarmDetail = Static<typeof AlarmDetail>;

export const AlarmParams = Type.Object({ id: Type.Integer({ minimum: 1, maximum: 9_007_199_254_740_991 }) });

export const AlarmAssignment = Type.Object(
  {
    // The API's coercion reads "" as null: both unassign.
    assignee: Nullable(PlainText(64, 'a person or crew; null (or "") unassigns')),
  },
  { additionalProperties: false },
);
export type AlarmAssignment = Static<typeof AlarmAssignment>;

export const AlarmComment = Type.Object({ text: PlainText(2000) }, { additionalProperties: false });
export type AlarmComment = Static<typeof AlarmComment>;

/**
 * An alarm family (reference-data/alarm-families.json): alarm types that mean the same thing for
 * a district, and when enough of them at once are one district outage.
 */
export const AlarmFamily = Type.Object(
  {
    kind: Type.String({ pattern: '^[a-z][a-z0-9_]{0,31}$', description: 'the outage kind: `water`, `lighting`' }),
    alarmTypes: Type.Array(AlarmTypeId, { minItems: 1, maxItems: 32, description: 'its members' }),
    openedBy: Type.Optional(
      Type.Array(AlarmTypeId, {
        minItems: 1,
        maxItems: 32,
        description:
          'members of which at least one must be among the alarms that open an outage (default: all); chronic ones (leaks) join an outage but do not open one',
      }),
    ),
    minObjects: Type.Integer({
      minimum: 2,
      maximum: 10_000,
      description: 'objects in one district that open an outage',
    }),
    withinMinutes: Type.Integer({
      minimum: 1,
      maximum: 10_080,
      description: "their first readings at most this far from the newest one's",
    }),
    severity: Type.Enum(ALARM_SEVERITIES),
    utility: Nullable(Type.String({ maxLength: 64, description: 'who works it (utilities.json)' })),
    objectType: Nullable(Type.String({ maxLength: 64, description: 'the object type whose stream room shows it' })),
  },
  { additionalProperties: false },
);
export type AlarmFamily = Static<typeof AlarmFamily>;

export const OUTAGE_STATUSES = ['active', 'cleared'] as const;

export const OutageQuery = Type.Object(
  {
    status: Type.Optional(Type.Enum(OUTAGE_STATUSES)),
    district: Type.Optional(Type.String({ maxLength: 64 })),
    kind: Type.Optional(Type.String({ maxLength: 32 })),
    limit: Type.Integer({ minimum: 1, maximum: 200, default: 50 }),
    offset: Type.Integer({ minimum: 0, maximum: 1_000_000, default: 0 }),
  },
  { additionalProperties: false },
);
export type OutageQuery = Static<typeof OutageQuery>;

export const OutageParams = Type.Object({ id: Type.Integer({ minimum: 1, maximum: 9_007_199_254_740_991 }) });

/** `pending`: not yet delivered (retrying, see `lastError`); `failed`: given up; `delivered`: a 2xx answer. */
export const WEBHOOK_DELIVERY_STATUSES = ['pending', 'failed', 'delivered'] as const;
export type WebhookDeliveryStatus = (typeof WEBHOOK_DELIVERY_STATUSES)[number];

/** A call of the alarm webhook (ALARM_WEBHOOK_URL): escalations for e-mail, SMS or Telegram gateways. */
export const WebhookDelivery = Type.Object({
  id: Type.Integer({ description: 'sent as `X-City-Delivery`: a receiver drops ids it has seen' }),
  event: Type.String({ description: 'sent as `X-City-Event`: `alarm.escalated`' }),
  status: Type.Enum(WEBHOOK_DELIVERY_STATUSES),
  createdAt: Instant,
  attempts: Type.Integer(),
  nextAttemptAt: Nullable(Instant),
  deliveredAt: Nullable(Instant),
  gaveUpAt: Nullable(Instant),
  lastStatus: Nullable(Type.Integer({ description: "the receiver's HTTP status; null when it did not answer" })),
  lastError: Nullable(Type.String()),
  payload: Type.Unknown({ description: 'the JSON body sent' }),
});
export type WebhookDelivery = Static<typeof WebhookDelivery>;

export const WebhookDeliveryQuery = Type.Object(
  {
    status: Type.Optional(Type.Enum(WEBHOOK_DELIVERY_STATUSES)),
    limit: Type.Integer({ minimum: 1, maximum: 500, default: 100 }),
    offset: Type.Integer({ minimum: 0, maximum: 1_000_000, default: 0 }),
  },
  { additionalProperties: false },
);
export type WebhookDeliveryQuery = Static<typeof WebhookDeliveryQuery>;

/** The body of an action that takes none: nothing, or `{}`. */
export const NoAlarmBody = Type.Union([Type.Null(), Type.Object({}, { additionalProperties: false })], {
  description: 'no body, or {}',
});
