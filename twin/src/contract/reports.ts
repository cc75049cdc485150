import { type Static, Type } from 'typebox';
import {
  MAX_OBJECT_NUMBER,
  MAX_PHOTO_BYTES,
  MAX_REPORT_CONTACT,
  MAX_REPORT_DESCRIPTION,
  MAX_TRACKING_CODE,
} from './input-limits.ts';

/** Requests and answers of residents' reports: filing one, following it by its tracking code. */

const Instant = Type.String({ format: 'date-time' });
const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(t: T) => Type.Union([t, Type.Null()]);

/**
 * Text a person typed: kept and answered as text, never as HTML. Tabs and line breaks are
 * welcome; other control characters (and NUL, refused for every input) are not.
 */
export const PlainText = (maxLength: number, description?: string) =>
  Type.String({
    minLength: 1,
    maxLength,
    pattern: '^[^\\u0000-\\u0008\\u000B\\u000C\\u000E-\\u001F\\u007F]*$',
    ...(description ? { description } : {}),
  });

/** Report categories' ids: API.md's vocabulary by default; the list itself is data (twin/reference-data/report-categories.json). */
export const ReportCategoryId = Type.String({
  pattern: '^[a-z][a-z0-9_]{1,39}$',
  maxLength: 40,
  examples: ['open_manhole', 'broken_wire', 'light_out', 'bin_overflow', 'fallen_tree', 'leak', 'other'],
});

export const ReportCategory = Type.Object({
  id: ReportCategoryId,
  uk: Type.String({ maxLength: 200 }),
  en: Type.String({ maxLength: 200 }),
  slaHours: Type.Number({
    exclusiveMinimum: 0,
    maximum: 10_000,
    description: 'time to resolve, from the first report',
  }),
  mergeHours: Type.Number({
    exclusiveMinimum: 0,
    maximum: 10_000,
    description:
      "a report joins the open incident on the same object and category while that incident's latest report is this recent",
  }),
  utility: Nullable(
    Type.String({ minLength: 1, maxLength: 64, description: 'who works it when the object has no owner utility' }),
  ),
});
export type ReportCategory = Static<typeof ReportCategory>;

/** The photo types a report takes, checked against the file's first bytes. */
export const PHOTO_TYPES = ['image/jpeg', 'image/png', 'image/webp'] as const;
export type PhotoType = (typeof PHOTO_TYPES)[number];

export const ReportPhoto = Type.Object(
  {
    contentType: Type.Enum(PHOTO_TYPES),
    data: Type.String({
      // Base64 of at most MAX_PHOTO_BYTES: 4 characters per 3 bytes.
      maxLength: Math.ceil(MAX_PHOTO_BYTES / 3) * 4,
      minLength: 4,
      pattern: '^[A-Za-z0-9+/]*={0,2}$',
      description: 'the image file, base64; at most 2 MB decoded',
    }),
  },
  { additionalProperties: false },
);
export type ReportPhoto = Static<typeof ReportPhoto>;

export const ObjectNumberInput = Type.String({
  minLength: 1,
  maxLength: MAX_OBJECT_NUMBER,
  description: 'as painted on the object; case, dashes and Cyrillic/Latin look-alike letters do not matter',
  examples: ['ОП-03-00417', 'op0300417'],
});

export const QrToken = Type.String({
  minLength: 1,
  maxLength: 300,
  description:
    "what the object's QR code holds: the resident page's URL (`https://<city>/r/{number}`) or the bare number",
});

export const NewReport = Type.Object(
  {
    objectNumber: Type.Optional(ObjectNumberInput),
    qrToken: Type.Optional(QrToken),
    category: ReportCategoryId,
    description: Type.Optional(PlainText(MAX_REPORT_DESCRIPTION)),
    contact: Type.Optional(
      PlainText(
        MAX_REPORT_CONTACT,
        'phone or e-mail for questions about the report; only staff working the incident see it',
      ),
    ),
    photo: Type.Optional(ReportPhoto),
  },
  { additionalProperties: false, description: 'objectNumber or qrToken names the object' },
);
export type NewReport = Static<typeof NewReport>;

/**
 * Tracking codes: 10 characters from 31 (digits 2-9, Latin capitals without I, L, O), about 49
 * bits: read out on the phone without 0/O or 1/I/L mix-ups, and not guessed.
 */
export const TRACKING_CODE_ALPHABET = '23456789ABCDEFGHJKMNPQRSTUVWXYZ';
export const TRACKING_CODE_LENGTH = 10;

export const ReportCreated = Type.Object({
  id: Type.Integer(),
  trackingCode: Type.String({ examples: ['7KQ2MXH9TW'] }),
  incidentId: Type.Integer({ description: 'the incident it joined or opened' }),
});
export type ReportCreated = Static<typeof ReportCreated>;

export const TrackingCodeParams = Type.Object({
  code: Type.String({
    minLength: 1,
    maxLength: MAX_TRACKING_CODE,
    description: 'case, spaces and dashes do not matter',
  }),
});

/** A step residents see: a status change, or a public comment from staff. */
export const PublicReportEvent = Type.Object({
  at: Instant,
  status: Nullable(Type.String({ description: 'the status it changed to; null for a comment' })),
  comment: Nullable(Type.String()),
});
export type PublicReportEvent = Static<typeof PublicReportEvent>;

/** What the tracking code shows: status and history, nothing of anyone's contact or text. */
export const PublicReport = Type.Object({
  trackingCode: Type.String(),
  incidentId: Type.Integer({
    description: 'the incident it belongs to (the Open311 service_request_id); a duplicate shows the one it joined',
  }),
  objectNumber: Type.String(),
  category: Type.String(),
  status: Type.String({ description: 'new, acknowledged, assigned, in_progress, resolved, rejected' }),
  closed: Type.Boolean(),
  createdAt: Instant,
  updatedAt: Instant,
  expectedBy: Nullable(Instant),
  history: Type.Array(PublicReportEvent),
});
export type PublicReport = Static<typeof PublicReport>;
