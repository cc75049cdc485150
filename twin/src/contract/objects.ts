import { type Static, Type } from 'typebox';
import { Alarm } from './alarms.ts';
import { Command, OBJECT_CARD_COMMANDS } from './commands.ts';
import { Incident } from './incidents.ts';
import { ObjectLiveState } from './live.ts';

/**
 * The city's numbered objects over HTTP: one object as residents and staff see it, import and
 * export of the registry, and the data that says what an object type is.
 */

/** What the objects table's columns take (migrations/002_objects.sql checks the same). */
export const OBJECT_LIMITS = {
  /** Characters of a number as painted. */
  number: 64,
  address: 256,
  districtCode: 16,
  districtName: 128,
  /** A text attribute whose definition sets no maxLength of its own. */
  text: 256,
  utility: 64,
  typeId: 32,
} as const;

/** What one import may bring: a 100k-object city fits with room to spare. */
export const IMPORT_LIMITS = {
  bodyBytes: 50 * 2 ** 20,
  /** Features of a GeoJSON file or data rows of a CSV file. */
  rows: 250_000,
  districts: 1_000,
  /** Vertices of all district boundaries together. */
  boundaryVertices: 500_000,
  /** Rejections the report lists one by one; `rejectedCount` has them all. */
  listedRejections: 10_000,
} as const;

export const IMPORT_FORMATS = ['geojson', 'csv'] as const;
export type ImportFormat = (typeof IMPORT_FORMATS)[number];

export const IMPORT_MODES = ['all-or-nothing', 'keep-valid'] as const;
export type ImportMode = (typeof IMPORT_MODES)[number];

/** CSV columns that are the object's own; every other column is an attribute. */
export const CSV_COLUMNS = ['number', 'type', 'lat', 'lon', 'district', 'address', 'owner_utility'] as const;

/**
 * Names no object type may give an attribute: the GeoJSON properties and CSV columns that mean
 * the object itself (`street` is the demo city's word for the address, `kind` marks districts
 * and streets), and the attributes every type has (COMMON_ATTRIBUTES).
 */
export const RESERVED_PROPERTIES = [...CSV_COLUMNS, 'ownerUtility', 'street', 'kind', 'synthetic'] as const;

// ---- object types and utilities (data: reference-data/*.json, the object_types and utilities tables)

export const ATTRIBUTE_KINDS = ['number', 'text', 'boolean'] as const;

export const AttributeDefinition = Type.Object(
  {
    kind: Type.Enum(ATTRIBUTE_KINDS),
    unit: Type.Optional(Type.String({ maxLength: 16 })),
    min: Type.Optional(Type.Number()),
    max: Type.Optional(Type.Number()),
    integer: Type.Optional(Type.Boolean()),
    maxLength: Type.Optional(Type.Integer({ minimum: 1, maximum: 4096 })),
    description: Type.Optional(Type.String({ maxLength: 200 })),
  },
  { additionalProperties: false },
);
export type AttributeDefinition = Static<typeof AttributeDefinition>;

export const ATTRIBUTE_NAME = '^[a-z][A-Za-z0-9_]{0,63}$';
export const TYPE_ID = '^[a-z][a-z0-9_]{0,31}$';
export const UTILITY_ID = '^[a-z][a-z0-9_-]{0,63}$';
export const DISTRICT_CODE = '^[0-9A-Za-z_-]{1,16}$';

/**
 * Attributes every object may carry whatever its type. `synthetic` marks the generated demo
 * city's objects, so that no piece of it passes for real data once exported.
 */
export const COMMON_ATTRIBUTES: Readonly<Record<string, AttributeDefinition>> = {
  synthetic: { kind: 'boolean', description: 'generated demo data, not a real object' },
};

export const ObjectTypeDefinition = Type.Object(
  {
    id: Type.String({ pattern: TYPE_ID, maxLength: OBJECT_LIMITS.typeId }),
    prefix: Type.String({ minLength: 1, maxLength: 8, description: 'painted before the district and sequence' }),
    labelUk: Type.String({ minLength: 1, maxLength: 128 }),
    labelEn: Type.String({ minLength: 1, maxLength: 128 }),
    defaultOwner: Type.Optional(
      Type.String({ pattern: UTILITY_ID, maxLength: OBJECT_LIMITS.utility, description: 'owner when none is given' }),
    ),
    attributes: Type.Record(Type.String({ pattern: ATTRIBUTE_NAME, maxLength: 64 }), AttributeDefinition),
  },
  { additionalProperties: false },
);
export type ObjectTypeDefinition = Static<typeof ObjectTypeDefinition>;

export const UtilityDefinition = Type.Object(
  {
    id: Type.String({ pattern: UTILITY_ID, maxLength: OBJECT_LIMITS.utility }),
    nameUk: Type.String({ minLength: 1, maxLength: 200 }),
    nameEn: Type.String({ minLength: 1, maxLength: 200 }),
  },
  { additionalProperties: false },
);
export type UtilityDefinition = Static<typeof UtilityDefinition>;

// ---- one object

export const ObjectNumberParams = Type.Object({
  number: Type.String({
    minLength: 1,
    maxLength: 100,
    description: 'as painted or typed: case, dashes, spaces and Cyrillic/Latin look-alike letters do not matter',
    examples: ['ОП-03-00417', 'op0300417'],
  }),
});

const Label = Type.Object({ uk: Type.String(), en: Type.String() });
const AttributeValue = Type.Union([Type.String(), Type.Number(), Type.Boolean()]);

/** What anyone sees: the resident page (`/r/{number}`) shows this. */
export const ObjectPublicView = Type.Object({
  number: Type.String({ examples: ['ОП-03-00417'] }),
  type: Type.String({ examples: ['pole'] }),
  typeLabel: Label,
  address: Type.Union([Type.String(), Type.Null()]),
  district: Type.Union([
    Type.Object({ code: Type.String(), name: Type.String(), nameEn: Type.Union([Type.String(), Type.Null()]) }),
    Type.Null(),
  ]),
  lat: Type.Number(),
  lon: Type.Number(),
});
export type ObjectPublicView = Static<typeof ObjectPublicView>;

/** Open incidents an object's staff card lists, at most: the newest; `GET /incidents?objectNumber=` has them all. */
export const OBJECT_CARD_INCIDENTS = 20;
/** Active alarms on a staff object card, at most. */
export const OBJECT_CARD_ALARMS = 50;

/**
 * An open incident as the object's card lists it: what it is, how far along, and whether it is
 * late. Where it is, is the object; its reports and history are `GET /incidents/{id}`.
 */
export const ObjectIncident = Type.Object({
  id: Incident.properties.id,
  category: Incident.properties.category,
  status: Incident.properties.status,
  utility: Incident.properties.utility,
  assignee: Incident.properties.assignee,
  reportCount: Incident.properties.reportCount,
  openedAt: Incident.properties.openedAt,
  lastReportAt: Incident.properties.lastReportAt,
  slaDueAt: Incident.properties.slaDueAt,
  slaBreached: Incident.properties.slaBreached,
});
export type ObjectIncident = Static<typeof ObjectIncident>;

/**
 * What other parts of the twin add for staff, each through an enricher the objects routes are
 * given: the devices bound to the object, its live state, its open alarms and incidents. Each
 * part replaces its `Unknown` here with its own schema.
 */
export const ObjectStaffExtras = {
  devices: Type.Optional(Type.Array(Type.Unknown())),
  live: Type.Optional(Type.Union([ObjectLiveState, Type.Null()], { description: 'null before its first reading' })),
  alarms: Type.Optional(
    Type.Array(Alarm, {
      maxItems: OBJECT_CARD_ALARMS,
      description: `its active alarms, newest first (at most ${OBJECT_CARD_ALARMS}); a dispatcher sees their utility's only`,
    }),
  ),
  incidents: Type.Optional(
    Type.Array(ObjectIncident, {
      maxItems: OBJECT_CARD_INCIDENTS,
      description: `its open incidents, newest first (at most ${OBJECT_CARD_INCIDENTS}); a dispatcher sees their utility's only`,
    }),
  ),
  commands: Type.Optional(
    Type.Array(Command, {
      maxItems: OBJECT_CARD_COMMANDS,
      description: `its pending streetlight commands, newest first (at most ${OBJECT_CARD_COMMANDS}); staff who act only`,
    }),
  ),
};
export type ObjectStaffExtras = Partial<{
  devices: unknown[];
  live: ObjectLiveState | null;
  alarms: Alarm[];
  incidents: ObjectIncident[];
  commands: Command[];
}>;

/** What signed-in staff and wall screens see. */
export const ObjectStaffView = Type.Object({
  ...ObjectPublicView.properties,
  ownerUtility: Type.Union([Type.Object({ id: Type.String(), name: Type.String() }), Type.Null()]),
  attributes: Type.Record(Type.String(), AttributeValue),
  ...ObjectStaffExtras,
});
export type ObjectStaffView = Static<typeof ObjectStaffView>;

/** The route answers one or the other by who asks. */
export const ObjectView = Type.Union([ObjectStaffView, ObjectPublicView]);

// ---- import and export

export const ImportQuery = Type.Object(
  {
    mode: Type.Enum(IMPORT_MODES, {
      default: 'all-or-nothing',
      description:
        '`all-or-nothing`: any rejected row and nothing is written (422 with the report); ' +
        '`keep-valid`: the valid rows are written, the rejected ones reported',
    }),
    replace: Type.Boolean({
      default: false,
      description:
        'true: the file becomes the whole registry - objects it does not name are removed, and districts no object is left in',
    }),
  },
  { additionalProperties: false },
);
export type ImportQuery = Static<typeof ImportQuery>;

/**
 * A GeoJSON FeatureCollection: Points with `properties.number` and `properties.type` (and
 * `district`, `address`, `ownerUtility` and the type's attributes); Polygons or MultiPolygons
 * with `kind: "district"`, `code`, `name`, `nameEn` (imported first); LineStrings with
 * `kind: "street"` (ignored). Each feature is checked by the importer, so a bad one is a
 * rejected row of the report, not a refused file. Foreign members (`name`, `synthetic`...) are
 * allowed, as GeoJSON allows them.
 */
export const GeoJsonImportBody = Type.Object(
  {
    type: Type.Literal('FeatureCollection'),
    features: Type.Array(Type.Unknown(), { maxItems: IMPORT_LIMITS.rows + IMPORT_LIMITS.districts }),
  },
  { additionalProperties: true },
);

export const CsvImportBody = Type.String({
  maxLength: IMPORT_LIMITS.bodyBytes,
  description: `CSV with a header: ${CSV_COLUMNS.join(',')}, then one column per attribute; UTF-8, comma-separated`,
});

export const ImportRejection = Type.Object({
  feature: Type.Optional(Type.Integer({ description: 'GeoJSON: index in `features`, from 0' })),
  row: Type.Optional(Type.Integer({ description: 'CSV: line of the file, the header being line 1' })),
  number: Type.Union([Type.String(), Type.Null()]),
  district: Type.Optional(Type.String({ description: 'the code of a rejected district feature' })),
  reasons: Type.Array(Type.String(), { examples: [['lat: 91 is not a latitude (-90..90)']] }),
});
export type ImportRejection = Static<typeof ImportRejection>;

export const ImportReport = Type.Object({
  format: Type.Enum(IMPORT_FORMATS),
  mode: Type.Enum(IMPORT_MODES),
  written: Type.Boolean({ description: 'false: nothing was written' }),
  accepted: Type.Integer({ description: 'valid objects in the file' }),
  created: Type.Integer(),
  updated: Type.Integer(),
  unchanged: Type.Integer(),
  removed: Type.Integer({ description: 'objects the file does not name, removed (replace=true)' }),
  districts: Type.Integer({ description: 'district features imported' }),
  ignored: Type.Integer({ description: 'features neither objects nor districts (streets)' }),
  rejectedCount: Type.Integer(),
  rejected: Type.Array(ImportRejection, { description: `the first ${IMPORT_LIMITS.listedRejections}` }),
  ms: Type.Integer({ description: 'time taken' }),
});
export type ImportReport = Static<typeof ImportReport>;

export const ImportRefused = Type.Object({
  error: Type.String(),
  message: Type.String(),
  report: ImportReport,
});

export const ExportQuery = Type.Object(
  {
    format: Type.Enum(IMPORT_FORMATS, { default: 'geojson' }),
    type: Type.Optional(Type.String({ pattern: TYPE_ID, maxLength: OBJECT_LIMITS.typeId })),
    district: Type.Optional(Type.String({ pattern: DISTRICT_CODE, maxLength: OBJECT_LIMITS.districtCode })),
  },
  { additionalProperties: false },
);
export type ExportQuery = Static<typeof ExportQuery>;
