import type { DurationRule } from '../../contract/alarm-rules.ts';
import type { AlarmSeverity } from '../../contract/alarms.ts';
import { meets, OP_SYMBOLS } from './comparison.ts';
import { comparisonText, durationText, metricLabel, withUnit } from './rule-message.ts';
import { CLEAR, NONE, RAISE, type ReadingRule, type RuleState, type Verdict } from './rule-state.ts';
import { type TargetTest, targetTest } from './rule-target.ts';
import { type WindowTest, windowTest } from './rule-window.ts';

/**
 * Raises when the condition has held, inside the window, for the rule's minutes: checked on each
 * reading, and on the timer for a device that reports less often (a value holds until the next
 * reading says otherwise; a device gone silent is the no-data rule's). A reading that breaks the
 * condition resets the count and clears. Leaving the window resets the count but does not clear:
 * daytime flow says nothing about the night's leak, which stays until a reading shows no flow.
 */
export class DurationJudge implements ReadingRule {
  readonly metric: string;
  readonly applies: TargetTest;
  states = new Map<string, RuleState>();
  private readonly forMs: number;
  private readonly inWindow: WindowTest;

  constructor(readonly rule: DurationRule) {
    this.metric = rule.params.metric;
    this.applies = targetTest(rule.target);
    this.forMs = rule.params.forMinutes * 60_000;
    this.inWindow = windowTest(rule.params.window);
  }

  judge(state: RuleState, value: number, timeMs: number): Verdict {
    const { condition } = this.rule.params;
    if (!meets(condition.op, value, condition.value)) {
      state.sinceMs = Number.NaN;
      return CLEAR;
    }
    if (!this.inWindow(timeMs, state.object)) {
      state.sinceMs = Number.NaN;
      return NONE;
    }
    if (Number.isNaN(state.sinceMs)) state.sinceMs = timeMs;
    state.lastValue = value;
    return state.raised || timeMs - state.sinceMs >= this.forMs ? RAISE : NONE;
  }

  tick(state: RuleState, nowMs: number): Verdict {
    if (state.raised || Number.isNaN(state.sinceMs)) return NONE;
    if (!this.inWindow(nowMs, state.object)) {
      state.sinceMs = Number.NaN;
      return NONE;
    }
    return nowMs - state.sinceMs >= this.forMs ? RAISE : NONE;
  }

  severity(): AlarmSeverity {
    return this.rule.severity;
  }

  message(verdict: typeof RAISE | typeof CLEAR, _state: RuleState, value: number): string {
    const { metric, condition, forMinutes, window } = this.rule.params;
    if (verdict === CLEAR) {
      return `${metricLabel(metric)} ${withUnit(metric, value)}, no longer ${OP_SYMBOLS[condition.op]} ${withUnit(metric, condition.value)}`;
    }
    const where =
      window === undefined
        ? ''
        : window.kind === 'daylight'
          ? ' in daylight'
          : ` between ${window.from} and ${window.to}`;
    return `${comparisonText(metric, value, condition)} for ${durationText(forMinutes * 60_000)}${where}`;
  }
}
