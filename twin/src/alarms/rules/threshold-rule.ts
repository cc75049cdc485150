import type { ThresholdRule } from '../../contract/alarm-rules.ts';
import type { AlarmSeverity } from '../../contract/alarms.ts';
import { meets } from './comparison.ts';
import { comparisonText } from './rule-message.ts';
import { CLEAR, NONE, RAISE, type ReadingRule, type RuleState, type Verdict } from './rule-state.ts';
import { type TargetTest, targetTest } from './rule-target.ts';

/** Raises past one bound, clears past another; a value in the gap between them changes nothing. */
export class ThresholdJudge implements ReadingRule {
  readonly metric: string;
  readonly applies: TargetTest;
  states = new Map<string, RuleState>();

  constructor(readonly rule: ThresholdRule) {
    this.metric = rule.params.metric;
    this.applies = targetTest(rule.target);
  }

  judge(state: RuleState, value: number): Verdict {
    const { raise, clear } = this.rule.params;
    state.lastValue = value;
    if (meets(raise.op, value, raise.value)) return RAISE;
    return meets(clear.op, value, clear.value) ? CLEAR : NONE;
  }

  judgeLate(state: RuleState, value: number): Verdict {
    const { raise, clear } = this.rule.params;
    if (!meets(raise.op, value, raise.value)) return NONE;
    return state.raised || !meets(clear.op, state.lastValue, clear.value) ? RAISE : NONE;
  }

  /** The severity of the worst band the value is past, else the rule's. */
  severity(value: number): AlarmSeverity {
    return this.band(value)?.severity ?? this.rule.severity;
  }

  message(verdict: typeof RAISE | typeof CLEAR, _state: RuleState, value: number): string {
    const { params } = this.rule;
    if (verdict === CLEAR) return comparisonText(params.metric, value, params.clear);
    const band = this.band(value);
    return comparisonText(params.metric, value, band ? { op: params.raise.op, value: band.value } : params.raise);
  }

  private band(value: number) {
    const { raise, bands } = this.rule.params;
    if (bands === undefined) return undefined;
    // Bands are in order past the raise bound (checked on the way in): the last one met is the worst.
    for (let i = bands.length - 1; i >= 0; i--) {
      const band = bands[i];
      if (band !== undefined && meets(raise.op, value, band.value)) return band;
    }
    return undefined;
  }
}
