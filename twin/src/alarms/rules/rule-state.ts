import type { AlarmRule } from '../../contract/alarm-rules.ts';
import type { AlarmSeverity } from '../../contract/alarms.ts';
import type { CityObjectRecord } from '../../objects/object-record.ts';
import type { TargetTest } from './rule-target.ts';

/** What a reading does to a rule's state for its device. Numbers, so judging allocates nothing. */
export const NONE = 0;
export const RAISE = 1;
export const CLEAR = 2;
export type Verdict = typeof NONE | typeof RAISE | typeof CLEAR;

/**
 * A rule's state for one device (and the subject it reports for). One shape for every kind, so
 * the engine's hot loop sees one kind of object; a kind uses the fields it needs.
 */
export class RuleState {
  /** The engine's target generation this placement was worked out in (targets change: objects, rules). */
  gen = -1;
  /** The object number as the device's readings name it: the placement below is for it. */
  objectNumber: string | null = null;
  /** `''` until placed. */
  subject = '';
  /** The object's number as registered, or the reading's when the object is unknown here. */
  subjectNumber: string | null = null;
  object: CityObjectRecord | undefined = undefined;
  /** Whether the rule's target takes this device where it is. */
  applies = false;
  /** Device time of the newest reading judged: an older one (another ingest process) changes nothing. For no-data, the last-seen the alarm was raised for. */
  lastMs = Number.NEGATIVE_INFINITY;
  raised = false;
  /** Duration: when the condition began to hold inside the window; NaN when it does not hold. */
  sinceMs = Number.NaN;
  /** Duration: the latest value that met the condition; decrease: the device's latest index. */
  lastValue = Number.NaN;
  /** Decrease: the index before the one that went backwards. */
  previousValue = Number.NaN;
}

/** A rule of a kind that judges readings of one metric. */
export interface ReadingRule {
  readonly rule: AlarmRule;
  readonly metric: string;
  readonly applies: TargetTest;
  /** Per device. */
  states: Map<string, RuleState>;
  /** What a newer reading does; updates the kind's fields of the state. */
  judge(state: RuleState, value: number, timeMs: number): Verdict;
  /**
   * What a reading older than the newest judged does (several ingest processes deliver out of
   * order): RAISE when it counts toward the alarm - it met the rule while the alarm stood, or
   * would have raised it and nothing newer cleared it - else NONE. It never clears, and changes
   * no state but `raised`. Kinds without it ignore late readings.
   */
  judgeLate?(state: RuleState, value: number): Verdict;
  /** A duration that completes with no new reading (the timer). */
  tick?(state: RuleState, nowMs: number): Verdict;
  severity(value: number): AlarmSeverity;
  message(verdict: typeof RAISE | typeof CLEAR, state: RuleState, value: number): string;
}
