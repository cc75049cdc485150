import type { ChangeRule } from '../../contract/alarm-rules.ts';
import type { AlarmSeverity } from '../../contract/alarms.ts';
import { metricLabel, withUnit } from './rule-message.ts';
import { CLEAR, NONE, RAISE, type ReadingRule, type RuleState, type Verdict } from './rule-state.ts';
import { type TargetTest, targetTest } from './rule-target.ts';

/**
 * A flag (tamper, burst, lamp failure) raises while 1 and clears at 0. A cumulative index
 * (volume, energy, pulses) lower than the device's previous one raises; the engine never clears
 * it: a meter that went backwards was swapped, reset or tampered with, and the next reading,
 * counting up again from the lower value, says nothing about which. Staff clear it by hand.
 */
export class ChangeJudge implements ReadingRule {
  readonly metric: string;
  readonly applies: TargetTest;
  states = new Map<string, RuleState>();

  constructor(readonly rule: ChangeRule) {
    this.metric = rule.params.metric;
    this.applies = targetTest(rule.target);
  }

  judge(state: RuleState, value: number): Verdict {
    if (this.rule.params.change === 'flag') return value === 0 ? CLEAR : RAISE;
    const previous = state.lastValue;
    state.lastValue = value;
    if (!(value < previous)) return NONE;
    state.previousValue = previous;
    return RAISE;
  }

  /** A late flag counts while the alarm stands; a late index says nothing about the order of the newer ones. */
  judgeLate(state: RuleState, value: number): Verdict {
    return this.rule.params.change === 'flag' && value !== 0 && state.raised ? RAISE : NONE;
  }

  severity(): AlarmSeverity {
    return this.rule.severity;
  }

  message(verdict: typeof RAISE | typeof CLEAR, state: RuleState, value: number): string {
    const { metric, change } = this.rule.params;
    if (change === 'decrease') {
      return `${metricLabel(metric)} index went backwards: ${withUnit(metric, value)} after ${withUnit(metric, state.previousValue)}`;
    }
    return verdict === RAISE ? `${metricLabel(metric)} reported` : `${metricLabel(metric)} no longer reported`;
  }
}
