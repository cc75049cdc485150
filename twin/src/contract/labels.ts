import { type Static, Type } from 'typebox';
import { DISTRICT_CODE, OBJECT_LIMITS, TYPE_ID } from './objects.ts';

/** `GET /api/v1/objects/labels`: printable sheets of QR labels for a set of objects. */

export const LABEL_LIMITS = {
  /**
   * Labels one request prints: 84 A4 sheets of 24. A district's objects of one type fit; the
   * whole city does not, and would be a document of hundreds of megabytes and seconds of CPU.
   */
  labels: 2000,
  /** Characters of the `street` filter. */
  street: 100,
} as const;

export const LABEL_FORMATS = ['html', 'svg'] as const;
export type LabelFormat = (typeof LABEL_FORMATS)[number];

export const LABEL_LANGUAGES = ['uk', 'en'] as const;
export type LabelLanguage = (typeof LABEL_LANGUAGES)[number];

export const LabelsQuery = Type.Object(
  {
    district: Type.Optional(
      Type.String({ pattern: DISTRICT_CODE, maxLength: OBJECT_LIMITS.districtCode, examples: ['03'] }),
    ),
    type: Type.Optional(Type.String({ pattern: TYPE_ID, maxLength: OBJECT_LIMITS.typeId, examples: ['pole'] })),
    street: Type.Optional(
      Type.String({
        minLength: 1,
        maxLength: LABEL_LIMITS.street,
        // Some letter or digit: blanks alone would select everything.
        pattern: '\\S',
        description: "part of the object's address, in any case: `соборн` matches `просп. Соборний, 12`",
        examples: ['Соборн'],
      }),
    ),
    format: Type.Enum(LABEL_FORMATS, {
      default: 'html',
      description:
        '`html`: one document of every sheet (or of sheet `page`), with page breaks, to print; `svg`: sheet `page` alone',
    }),
    page: Type.Optional(
      Type.Integer({
        minimum: 1,
        // A bound for the schema; the sheets a selection makes are checked against the selection.
        maximum: LABEL_LIMITS.labels,
        description: 'sheet number from 1 (the `x-label-pages` response header says how many); `svg` defaults to 1',
      }),
    ),
    lang: Type.Enum(LABEL_LANGUAGES, { default: 'uk', description: "language of the objects' type labels" }),
  },
  { additionalProperties: false },
);
export type LabelsQuery = Static<typeof LabelsQuery>;
