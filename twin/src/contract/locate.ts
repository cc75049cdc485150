import { type Static, Type } from 'typebox';
import { LOCATE_MAX_NUMBERS, MAX_LOCATE_NUMBER } from './input-limits.ts';

/** `POST /api/v1/locate`: where a caller stands, from the numbers of the objects they can see. */

export const LOCATE_IGNORED_REASONS = ['unknown', 'outlier', 'duplicate'] as const;
export type LocateIgnoredReason = (typeof LOCATE_IGNORED_REASONS)[number];

export const LocateRequest = Type.Object(
  {
    numbers: Type.Array(
      Type.String({
        minLength: 1,
        maxLength: MAX_LOCATE_NUMBER,
        description: 'as painted or read out: case, dashes, spaces and Cyrillic/Latin look-alikes do not matter',
      }),
      { minItems: 1, maxItems: LOCATE_MAX_NUMBERS, examples: [['ОП-03-00417', 'op-03-00418', 'СМ-03-00112']] },
    ),
  },
  { additionalProperties: false },
);
export type LocateRequest = Static<typeof LocateRequest>;

export const LocateIgnored = Type.Object({
  number: Type.String({ description: 'as the request gave it' }),
  reason: Type.Enum(LOCATE_IGNORED_REASONS, {
    description:
      '`unknown`: no object has this number; `outlier`: implausibly far from the others; `duplicate`: named twice',
  }),
});
export type LocateIgnored = Static<typeof LocateIgnored>;

export const LocateResult = Type.Object({
  lat: Type.Number(),
  lon: Type.Number(),
  accuracyM: Type.Number({
    description:
      'radius in metres the caller is likely within: the spread of the objects used, never less than the distance a number is read from (30 m)',
  }),
  used: Type.Array(Type.String(), {
    description: 'numbers of the objects the estimate rests on, as the registry has them',
  }),
  ignored: Type.Array(LocateIgnored),
});
export type LocateResult = Static<typeof LocateResult>;
