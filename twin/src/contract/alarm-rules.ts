import { DEVICE_CLASSES, METRIC_NAMES } from '@city/ingest/contract';
import { type Static, type TSchema, Type } from 'typebox';
import { ALARM_SEVERITIES, AlarmTypeId } from './alarms.ts';
import { PlainText } from './reports.ts';

/**
 * Alarm rules: data that says which readings (or silences) raise an alarm and which clear it.
 * The platform ships defaults per device class (twin/reference-data/alarm-rules.json); staff
 * add, change and disable rules through the API.
 */

const Instant = Type.String({ format: 'date-time' });
const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(t: T) => Type.Union([t, Type.Null()]);
const Closed = <T extends Record<string, TSchema>>(properties: T, description?: string) =>
  Type.Object(properties, { additionalProperties: false, ...(description ? { description } : {}) });

export const ALARM_RULE_KINDS = ['threshold', 'duration', 'change', 'no_data'] as const;
export type AlarmRuleKind = (typeof ALARM_RULE_KINDS)[number];

export const AlarmRuleId = Type.String({ pattern: '^[a-z0-9][a-z0-9_-]{0,63}$', maxLength: 64 });

export const RuleMetric = Type.Enum(METRIC_NAMES, { description: "a metric of ingest's vocabulary" });

/** How a value compares with a bound: greater or equal, greater, less or equal, less. */
export const COMPARISON_OPS = ['gte', 'gt', 'lte', 'lt'] as const;
export type ComparisonOp = (typeof COMPARISON_OPS)[number];

export const Comparison = Closed({
  op: Type.Enum(COMPARISON_OPS),
  value: Type.Number({ minimum: -1e9, maximum: 1e9 }),
});
export type Comparison = Static<typeof Comparison>;

/** Which objects or devices a rule watches: all that are given must hold; none given = everything. */
export const AlarmRuleTarget = Closed({
  objectType: Type.Optional(Type.String({ pattern: '^[a-z][a-z0-9_]{0,63}$', maxLength: 64 })),
  deviceClass: Type.Optional(Type.Enum(DEVICE_CLASSES)),
  /** A device model id (`axioma/qalcosonic-w1`): where a class is too wide (water meters, not heat meters). */
  model: Type.Optional(
    Type.String({ pattern: '^[a-z0-9][a-z0-9._-]{0,63}/[a-z0-9][a-z0-9._-]{0,63}$', maxLength: 129 }),
  ),
  district: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
  objectNumber: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
});
export type AlarmRuleTarget = Static<typeof AlarmRuleTarget>;

export const ThresholdParams = Closed(
  {
    metric: RuleMetric,
    raise: Comparison,
    clear: Comparison,
    bands: Type.Optional(
      Type.Array(Closed({ value: Comparison.properties.value, severity: Type.Enum(ALARM_SEVERITIES) }), {
        minItems: 1,
        maxItems: 8,
        description:
          "further bounds past `raise`, in order: a value past one (compared as `raise`) takes its severity instead of the rule's",
      }),
    ),
  },
  'raises when the value meets `raise`, clears when it meets `clear`; the gap between them is the hysteresis',
);
export type ThresholdParams = Static<typeof ThresholdParams>;

/** Local clock hours in a time zone; `from` after `to` spans midnight. */
const HoursWindow = Closed({
  kind: Type.Literal('hours'),
  from: Type.String({ pattern: '^([01][0-9]|2[0-3]):[0-5][0-9]$', maxLength: 5, description: 'HH:MM, inclusive' }),
  to: Type.String({ pattern: '^([01][0-9]|2[0-3]):[0-5][0-9]$', maxLength: 5, description: 'HH:MM, exclusive' }),
  timeZone: Type.Optional(
    Type.String({ minLength: 1, maxLength: 64, description: 'IANA time zone; Europe/Kyiv when absent' }),
  ),
});
/** While the sun is above the horizon at the object. */
const DaylightWindow = Closed({ kind: Type.Literal('daylight') });
export const DurationWindow = Type.Union([HoursWindow, DaylightWindow]);
export type DurationWindow = Static<typeof DurationWindow>;

export const DurationParams = Closed(
  {
    metric: RuleMetric,
    condition: Comparison,
    forMinutes: Type.Integer({ minimum: 1, maximum: 10_080 }),
    window: Type.Optional(DurationWindow),
  },
  'raises when `condition` has held (inside `window`, if any) for `forMinutes`; a reading that breaks it clears',
);
export type DurationParams = Static<typeof DurationParams>;

export const ChangeParams = Closed(
  {
    metric: RuleMetric,
    change: Type.Enum(['flag', 'decrease'], {
      description:
        '`flag`: raises while the value is 1, clears at 0; `decrease`: a cumulative index lower than the device’s previous one raises (cleared by hand)',
    }),
  },
  'raises on a change of the value',
);
export type ChangeParams = Static<typeof ChangeParams>;

export const NoDataParams = Closed(
  {
    factor: Type.Optional(
      Type.Number({
        minimum: 1,
        maximum: 100,
        description:
          "silence longer than factor x the device model's expected interval raises (3 when absent); its next reading clears",
      }),
    ),
  },
  'raises when a device falls silent',
);
export type NoDataParams = Static<typeof NoDataParams>;

export const RULE_PARAMS = {
  threshold: ThresholdParams,
  duration: DurationParams,
  change: ChangeParams,
  no_data: NoDataParams,
} as const satisfies Record<AlarmRuleKind, TSchema>;

/** A rule's parameters, whichever its kind; which one it must be follows from `kind`. */
export const AlarmRuleParams = Type.Union([ThresholdParams, DurationParams, ChangeParams, NoDataParams]);

const editable = {
  name: PlainText(200),
  alarmType: AlarmTypeId,
  severity: Type.Enum(ALARM_SEVERITIES, { description: 'of the alarms it raises (a threshold band may say worse)' }),
  target: AlarmRuleTarget,
  enabled: Type.Boolean(),
};

const ruleOf = <K extends AlarmRuleKind>(kind: K) =>
  Type.Object({
    id: AlarmRuleId,
    ...editable,
    kind: Type.Literal(kind),
    params: RULE_PARAMS[kind],
    builtin: Type.Boolean({ description: 'shipped with the platform: it can be disabled, not deleted' }),
    updatedAt: Instant,
    updatedBy: Nullable(Type.String({ description: 'staff member or API key; null for a shipped rule' })),
  });

export const ThresholdRule = ruleOf('threshold');
export const DurationRule = ruleOf('duration');
export const ChangeRule = ruleOf('change');
export const NoDataRule = ruleOf('no_data');
export type ThresholdRule = Static<typeof ThresholdRule>;
export type DurationRule = Static<typeof DurationRule>;
export type ChangeRule = Static<typeof ChangeRule>;
export type NoDataRule = Static<typeof NoDataRule>;

export const AlarmRule = Type.Union([ThresholdRule, DurationRule, ChangeRule, NoDataRule]);
export type AlarmRule = Static<typeof AlarmRule>;

export const NewAlarmRule = Closed({
  id: AlarmRuleId,
  name: editable.name,
  alarmType: editable.alarmType,
  severity: editable.severity,
  kind: Type.Enum(ALARM_RULE_KINDS),
  target: Type.Optional(AlarmRuleTarget),
  params: AlarmRuleParams,
  enabled: Type.Optional(Type.Boolean({ default: true })),
});
export type NewAlarmRule = Static<typeof NewAlarmRule>;

/** A rule's kind stays; its parameters are replaced whole. */
export const AlarmRulePatch = Type.Object(
  {
    name: Type.Optional(editable.name),
    alarmType: Type.Optional(editable.alarmType),
    severity: Type.Optional(editable.severity),
    target: Type.Optional(editable.target),
    params: Type.Optional(AlarmRuleParams),
    enabled: Type.Optional(editable.enabled),
  },
  { additionalProperties: false, minProperties: 1 },
);
export type AlarmRulePatch = Static<typeof AlarmRulePatch>;

export const AlarmRuleParamsPath = Type.Object({ id: AlarmRuleId });
