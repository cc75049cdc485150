import type { TSchema } from 'typebox';
import { Value } from 'typebox/value';
import {
  type AlarmRuleKind,
  type ChangeParams,
  type DurationParams,
  type NoDataParams,
  RULE_PARAMS,
  type ThresholdParams,
} from '../../contract/alarm-rules.ts';
import { isUpward } from './comparison.ts';

/** A rule's parameters as the engine runs them: defaults filled in. */
export type RuleParams = ThresholdParams | DurationParams | ChangeParams | NoDataParams;

export const DEFAULT_TIME_ZONE = 'Europe/Kyiv';
export const DEFAULT_NO_DATA_FACTOR = 3;

/** What is wrong with a rule's parameters, and where (`params.clear`). */
export interface ParamsProblem {
  field: string;
  message: string;
}

/**
 * A rule's parameters checked against its kind - the schema of that kind, then what no schema
 * keyword says: a clear that leaves no gap against the raise, bands out of order, an unknown
 * time zone - and with their defaults filled in. The API answers a problem with a 400 naming
 * the field; the seed refuses to start on one.
 */
export function checkRuleParams(kind: AlarmRuleKind, params: unknown): { params: RuleParams } | ParamsProblem {
  const schema: TSchema = RULE_PARAMS[kind];
  if (!Value.Check(schema, params)) {
    const [first] = Value.Errors(schema, params);
    return {
      field: `params${(first?.instancePath ?? '').replaceAll('/', '.')}`,
      message: `${first?.message ?? 'does not match'} (the parameters of a ${kind} rule)`,
    };
  }
  switch (kind) {
    case 'threshold':
      return checkThreshold(params as ThresholdParams);
    case 'duration':
      return checkDuration(params as DurationParams);
    case 'change':
      return { params: params as ChangeParams };
    case 'no_data':
      return { params: { factor: (params as NoDataParams).factor ?? DEFAULT_NO_DATA_FACTOR } };
  }
}

/** Beyond `bound` in the direction `upward` says (strictly). */
const beyond = (upward: boolean, value: number, bound: number) => (upward ? value > bound : value < bound);

function checkThreshold(p: ThresholdParams): { params: RuleParams } | ParamsProblem {
  const up = isUpward(p.raise.op);
  // Without a gap every value either raises or clears, and a value that wavers about the bound
  // raises and clears on every reading: the hysteresis is the point.
  if (isUpward(p.clear.op) === up || !beyond(!up, p.clear.value, p.raise.value)) {
    return {
      field: 'params.clear',
      message: `must leave a gap against raise: ${up ? 'below' : 'above'} ${p.raise.value} and compared ${up ? 'lt or lte' : 'gt or gte'}`,
    };
  }
  let previous = p.raise.value;
  for (const [i, band] of (p.bands ?? []).entries()) {
    if (!beyond(up, band.value, previous)) {
      return {
        field: `params.bands.${i}.value`,
        message: `must be ${up ? 'above' : 'below'} ${previous} (the raise bound, then each band in turn)`,
      };
    }
    previous = band.value;
  }
  return { params: p };
}

function checkDuration(p: DurationParams): { params: RuleParams } | ParamsProblem {
  if (p.window?.kind !== 'hours') return { params: p };
  const timeZone = p.window.timeZone ?? DEFAULT_TIME_ZONE;
  if (p.window.from === p.window.to) return { field: 'params.window.to', message: 'must differ from from' };
  if (!isTimeZone(timeZone)) return { field: 'params.window.timeZone', message: 'is not an IANA time zone' };
  return { params: { ...p, window: { ...p.window, timeZone } } };
}

function isTimeZone(name: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: name });
    return true;
  } catch {
    return false;
  }
}
