import { type Static, Type } from 'typebox';

/**
 * The NGSI-LD read API under /ngsi-ld/v1 (ETSI GS CIM 009): the city's objects and their live
 * state as FIWARE Smart Data Models entities, in the normalized representation (or keyValues),
 * as JSON-LD with the `@context` in the body or as JSON with the `@context` in a Link header.
 */

/** The NGSI-LD core @context; a broker's answers imply it, JSON-LD bodies name it after the model's. */
export const NGSI_LD_CORE_CONTEXT = 'https://uri.etsi.org/ngsi-ld/v1/ngsi-ld-core-context.jsonld';

/** The link relation of a JSON-LD @context in a Link header (JSON-LD 1.1, 6.1). */
export const JSON_LD_CONTEXT_REL = 'http://www.w3.org/ns/json-ld#context';

/** The representations an entity is served in (NGSI-LD 6.3.4); ties go to application/json. */
export const NGSI_LD_MEDIA_TYPES = ['application/json', 'application/ld+json'] as const;
export type NgsiLdMediaType = (typeof NGSI_LD_MEDIA_TYPES)[number];

/** Header with the number of entities a query matched, when it asks `count=true` (NGSI-LD 6.3.13). */
export const NGSI_LD_COUNT_HEADER = 'NGSILD-Results-Count';

export const NGSI_LD_LIMITS = {
  /** Entities one answer holds when the query does not say (the NGSI-LD default). */
  defaultLimit: 20,
  /** Entities one answer may hold. */
  maxLimit: 1000,
  /** Ids one query's `id` list may name. */
  ids: 1000,
  /** Characters of an entity id: the urn prefix, the longest model name and a percent-encoded number. */
  entityId: 512,
} as const;

/**
 * The NGSI-LD error types this API answers (NGSI-LD 6.3.2, Table 6.3.2-1, and NotAcceptable of
 * 6.3.4): `type` is `https://uri.etsi.org/ngsi-ld/errors/<name>`. Refusals that are not NGSI-LD's
 * (401, 403, 429) are RFC 9457 `about:blank` problems titled by their status, with the platform's
 * error code as the extension member `error`, as every other route of the platform answers it.
 */
export const NGSI_LD_ERRORS = {
  InvalidRequest: {
    status: 400,
    title: 'The request associated to the operation is syntactically invalid or includes wrong content',
  },
  BadRequestData: {
    status: 400,
    title: 'The request includes input data which does not meet the requirements of the operation',
  },
  ResourceNotFound: { status: 404, title: 'The referred resource has not been found' },
  NotAcceptable: { status: 406, title: 'The media type provided in the Accept header is not supported' },
  InternalError: { status: 500, title: 'There has been an error during the operation execution' },
} as const;
export type NgsiLdErrorType = keyof typeof NGSI_LD_ERRORS;

export const NGSI_LD_ERROR_BASE = 'https://uri.etsi.org/ngsi-ld/errors/';

/** An error answer (RFC 9457 problem details, as NGSI-LD 6.3.2 uses them). */
export const ProblemDetails = Type.Object({
  type: Type.String({ description: 'https://uri.etsi.org/ngsi-ld/errors/<error type>, or about:blank' }),
  title: Type.String(),
  status: Type.Integer(),
  detail: Type.String(),
  /** The platform's error code (`unauthorized`, `forbidden`, `rate_limited`) on a refusal of its access control. */
  error: Type.Optional(Type.String()),
});
export type ProblemDetails = Static<typeof ProblemDetails>;

// ---- entities

const Instant = Type.String({ format: 'date-time' });

/** A Property in the normalized representation; `observedAt` is when a measured value was taken. */
export const NgsiProperty = Type.Object({
  type: Type.Literal('Property'),
  value: Type.Unknown(),
  observedAt: Type.Optional(Instant),
  /** UN/CEFACT common code of the value's unit (`CEL`, `GQ`...), where the model's default unit is not it. */
  unitCode: Type.Optional(Type.String()),
});
export type NgsiProperty = Static<typeof NgsiProperty>;

export const NgsiGeoProperty = Type.Object({
  type: Type.Literal('GeoProperty'),
  value: Type.Object({
    type: Type.Literal('Point'),
    /** [longitude, latitude], GeoJSON's order. */
    coordinates: Type.Array(Type.Number(), { minItems: 2, maxItems: 2 }),
  }),
});
export type NgsiGeoProperty = Static<typeof NgsiGeoProperty>;

export const NgsiRelationship = Type.Object({
  type: Type.Literal('Relationship'),
  object: Type.String(),
  observedAt: Type.Optional(Instant),
});
export type NgsiRelationship = Static<typeof NgsiRelationship>;

export type NgsiAttribute = NgsiProperty | NgsiGeoProperty | NgsiRelationship;

/**
 * An entity as served: its id (`urn:ngsi-ld:<Type>:<object number, percent-encoded>`), its type,
 * the `@context` in JSON-LD answers, and its attributes named as its Smart Data Model names them -
 * Property, GeoProperty or Relationship objects, or plain values with `options=keyValues`.
 */
export const NgsiLdEntity = Type.Object(
  {
    id: Type.String(),
    type: Type.String(),
    '@context': Type.Optional(Type.Array(Type.String())),
  },
  // Each model has attributes of its own (WasteContainer's fillingLevel, Streetlight's powerState...).
  { additionalProperties: true },
);
/** The schema's type with its open attributes (`additionalProperties: true` adds no index signature to Static). */
export type NgsiLdEntity = Static<typeof NgsiLdEntity> & Record<string, unknown>;

/** `options`: the representation (normalized by default, or keyValues), a comma list as NGSI-LD writes it. */
const Options = Type.String({
  pattern: '^(keyValues|normalized)(,(keyValues|normalized))*$',
  maxLength: 64,
  description: 'keyValues: attributes as plain values; normalized (the default): Property and GeoProperty objects',
});

export const NgsiLdEntitiesQuery = Type.Object(
  {
    type: Type.Optional(
      Type.String({
        maxLength: 256,
        description: 'the entity type: WasteContainer, Streetlight, AirQualityObserved or WaterConsumptionObserved',
        examples: ['WasteContainer'],
      }),
    ),
    id: Type.Optional(
      Type.String({
        maxLength: 64 * 1024,
        description: `entity ids, comma separated (at most ${NGSI_LD_LIMITS.ids}), among the type's`,
      }),
    ),
    limit: Type.Integer({
      minimum: 0,
      maximum: NGSI_LD_LIMITS.maxLimit,
      default: NGSI_LD_LIMITS.defaultLimit,
      description: 'entities per answer; 0 only with count=true',
    }),
    offset: Type.Integer({ minimum: 0, maximum: 10_000_000, default: 0 }),
    count: Type.Optional(
      Type.Boolean({ description: `true: the number of matching entities in ${NGSI_LD_COUNT_HEADER}` }),
    ),
    options: Type.Optional(Options),
  },
  { additionalProperties: false },
);
export type NgsiLdEntitiesQuery = Static<typeof NgsiLdEntitiesQuery>;

export const NgsiLdEntityParams = Type.Object({
  entityId: Type.String({
    minLength: 1,
    maxLength: NGSI_LD_LIMITS.entityId,
    examples: ['urn:ngsi-ld:WasteContainer:%D0%A1%D0%9C-03-00417'],
  }),
});
export type NgsiLdEntityParams = Static<typeof NgsiLdEntityParams>;

export const NgsiLdEntityQuery = Type.Object({ options: Type.Optional(Options) }, { additionalProperties: false });
export type NgsiLdEntityQuery = Static<typeof NgsiLdEntityQuery>;
