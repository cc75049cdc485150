import { type Static, Type } from 'typebox';
import { ObjectNumberInput, PlainText, ReportCategoryId } from './reports.ts';

/**
 * Open311 GeoReport v2 (JSON) under /open311/v2: services are report categories, a service
 * request is an incident (residents' reports on one object and category merge into one), and a
 * token is a report's tracking code. Field names are the spec's (snake_case).
 */

const Instant = Type.String({ format: 'date-time' });
const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(t: T) => Type.Union([t, Type.Null()]);
/** An instant a client asks about: ISO 8601, in years the database stores (1970-2199). */
const QueryInstant = Type.String({ format: 'date-time', pattern: '^(19[7-9][0-9]|2[01][0-9]{2})-', maxLength: 40 });
const Jurisdiction = Type.String({ maxLength: 100, description: 'accepted and ignored: this server serves one city' });

/** The attribute every service takes: the number painted on the object. */
export const OBJECT_NUMBER_ATTRIBUTE = 'object_number';

/** Every Open311 error body: a list of `{code, description}`, code being the HTTP status. */
export const Open311Errors = Type.Array(Type.Object({ code: Type.Integer(), description: Type.String() }));
export type Open311Errors = Static<typeof Open311Errors>;

export const Open311Service = Type.Object({
  service_code: Type.String(),
  service_name: Type.String(),
  description: Type.String(),
  metadata: Type.Boolean({ description: 'true: see the service definition for its attributes' }),
  type: Type.Enum(['realtime', 'batch', 'blackbox']),
  keywords: Type.String(),
  group: Type.String(),
});
export type Open311Service = Static<typeof Open311Service>;

export const Open311Attribute = Type.Object({
  variable: Type.Boolean(),
  code: Type.String(),
  datatype: Type.Enum(['string', 'number', 'datetime', 'text', 'singlevaluelist', 'multivaluelist']),
  required: Type.Boolean(),
  datatype_description: Type.String(),
  order: Type.Integer(),
  description: Type.String(),
});

export const Open311ServiceDefinition = Type.Object({
  service_code: Type.String(),
  attributes: Type.Array(Open311Attribute),
});
export type Open311ServiceDefinition = Static<typeof Open311ServiceDefinition>;

export const Open311ServiceParams = Type.Object({ service_code: ReportCategoryId });
export const Open311JurisdictionQuery = Type.Object(
  { jurisdiction_id: Type.Optional(Jurisdiction) },
  { additionalProperties: false },
);

/**
 * A new service request, as JSON or as a form (`attribute[object_number]=...`). The object's
 * number places it: `attribute[object_number]`, or `address_id` (this server's address ids are
 * object numbers); lat/long and address_string are accepted and not needed.
 */
export const Open311NewRequest = Type.Object(
  {
    jurisdiction_id: Type.Optional(Jurisdiction),
    api_key: Type.Optional(
      Type.String({ maxLength: 200, description: 'accepted and ignored: the endpoint is public' }),
    ),
    service_code: ReportCategoryId,
    attribute: Type.Optional(
      Type.Object({ [OBJECT_NUMBER_ATTRIBUTE]: Type.Optional(ObjectNumberInput) }, { additionalProperties: false }),
    ),
    lat: Type.Optional(Type.Number({ minimum: -90, maximum: 90 })),
    long: Type.Optional(Type.Number({ minimum: -180, maximum: 180 })),
    address_string: Type.Optional(Type.String({ maxLength: 500 })),
    address_id: Type.Optional(ObjectNumberInput),
    email: Type.Optional(PlainText(254, 'private: only staff working the incident see it')),
    phone: Type.Optional(PlainText(40, 'private: only staff working the incident see it')),
    first_name: Type.Optional(PlainText(100, 'private')),
    last_name: Type.Optional(PlainText(100, 'private')),
    device_id: Type.Optional(Type.String({ maxLength: 200 })),
    account_id: Type.Optional(Type.String({ maxLength: 200 })),
    description: Type.Optional(PlainText(4000)),
    media_url: Type.Optional(
      Type.String({ maxLength: 2000, description: 'accepted and not fetched: send photos to POST /api/v1/reports' }),
    ),
  },
  { additionalProperties: false },
);
export type Open311NewRequest = Static<typeof Open311NewRequest>;

export const Open311RequestCreated = Type.Array(
  Type.Object({
    service_request_id: Type.String({ description: 'the incident the report joined or opened' }),
    token: Type.String({ description: "the report's own tracking code (GET /api/v1/reports/{code})" }),
    service_notice: Type.String(),
  }),
);

/** An incident as Open311 shows it to anyone: no resident's text or contact. */
export const Open311Request = Type.Object({
  service_request_id: Type.String(),
  status: Type.Enum(['open', 'closed']),
  status_notes: Nullable(Type.String({ description: 'the latest public comment from staff' })),
  service_name: Type.String(),
  service_code: Type.String(),
  description: Type.Null({ description: "residents' texts are not published" }),
  agency_responsible: Nullable(Type.String()),
  service_notice: Nullable(Type.String()),
  requested_datetime: Instant,
  updated_datetime: Instant,
  expected_datetime: Instant,
  address: Nullable(Type.String()),
  address_id: Type.String({ description: "the object's number" }),
  zipcode: Type.Null(),
  lat: Type.Number(),
  long: Type.Number(),
  media_url: Type.Null(),
});
export type Open311Request = Static<typeof Open311Request>;

export const Open311RequestsQuery = Type.Object(
  {
    jurisdiction_id: Type.Optional(Jurisdiction),
    service_request_id: Type.Optional(
      Type.String({ pattern: '^[0-9]{1,15}(,[0-9]{1,15}){0,99}$', maxLength: 1600, description: 'comma-separated' }),
    ),
    service_code: Type.Optional(
      Type.String({ pattern: '^[a-z][a-z0-9_]{1,39}(,[a-z][a-z0-9_]{1,39}){0,49}$', maxLength: 2050 }),
    ),
    start_date: Type.Optional(QueryInstant),
    end_date: Type.Optional(QueryInstant),
    status: Type.Optional(Type.String({ pattern: '^(open|closed)(,(open|closed))?$', maxLength: 11 })),
  },
  { additionalProperties: false },
);
export type Open311RequestsQuery = Static<typeof Open311RequestsQuery>;

export const Open311RequestParams = Type.Object({ id: Type.String({ pattern: '^[0-9]{1,15}$', maxLength: 15 }) });
export const Open311TokenParams = Type.Object({ token: Type.String({ minLength: 1, maxLength: 40 }) });

export const Open311TokenResult = Type.Array(Type.Object({ service_request_id: Type.String(), token: Type.String() }));
