import type { NoDataRule } from '../../contract/alarm-rules.ts';
import { DEFAULT_NO_DATA_FACTOR } from './check-rule-params.ts';
import { durationText } from './rule-message.ts';
import type { RuleState } from './rule-state.ts';
import { type TargetTest, targetTest } from './rule-target.ts';

/** A device silent for `factor` times its model's expected interval is offline until it reports again. */
export class NoDataWatch {
  readonly applies: TargetTest;
  readonly factor: number;
  states = new Map<string, RuleState>();

  constructor(readonly rule: NoDataRule) {
    this.applies = targetTest(rule.target);
    this.factor = rule.params.factor ?? DEFAULT_NO_DATA_FACTOR;
  }

  isSilent(lastSeenMs: number, intervalMs: number, nowMs: number): boolean {
    return nowMs - lastSeenMs > this.factor * intervalMs;
  }

  raiseMessage(lastSeenMs: number, intervalMs: number, nowMs: number): string {
    return `no data for ${durationText(nowMs - lastSeenMs)} (expected every ${durationText(intervalMs)})`;
  }

  clearMessage(state: RuleState, timeMs: number): string {
    return `reporting again after ${durationText(timeMs - state.lastMs)} of silence`;
  }
}
