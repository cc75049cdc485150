import type { DeviceClass, Reading } from '@city/ingest';
import type { AlarmRule } from '../../contract/alarm-rules.ts';
import type { AlarmSeverity } from '../../contract/alarms.ts';
import { expectedIntervalMs } from '../../live/health.ts';
import type { ObjectLookup } from '../../objects/object-record.ts';
import { type AlarmSignal, deviceSubject } from '../alarm-signal.ts';
import { ChangeJudge } from './change-rule.ts';
import { DurationJudge } from './duration-rule.ts';
import { NoDataWatch } from './no-data-rule.ts';
import { CLEAR, RAISE, type ReadingRule, RuleState, type Verdict } from './rule-state.ts';
import { ThresholdJudge } from './threshold-rule.ts';

/** What the engine needs to know of where a device is: its object, and its class. */
export interface RuleContext {
  objects: ObjectLookup;
  /** A device's class, from its model in the registry; undefined for a device not known (yet). */
  deviceClass(devEui: string): DeviceClass | undefined;
  /** A device's model id, for rules that target one; undefined when not known. */
  deviceModel?(devEui: string): string | undefined;
}

/** A device as the timer sees it (the registry's last-seen). */
export interface WatchedDevice {
  devEui: string;
  objectNumber: string | null;
  model: string | null;
  lastSeenMs: number | null;
}

/** An active alarm a rule raised, as the alarms table holds it: what a restart starts from. */
export interface ActiveRuleAlarm {
  ruleId: string;
  subject: string;
  objectNumber: string | null;
  devEui: string;
  /** The device time of the latest reading that counted (for a silence, the last-seen). */
  lastReadingMs: number;
}

/** Either kind of rule the engine keeps state for. */
type Watch = ReadingRule | NoDataWatch;

const NO_SIGNALS: readonly AlarmSignal[] = Object.freeze([]);

/**
 * The rule engine: readings in, alarm signals out, with no database. Rules are indexed by
 * metric, so a reading of a metric no rule watches costs one map lookup, and one that a rule
 * watches costs a map lookup per rule and no allocation until it raises or clears something.
 * State is kept per rule and device: where the device is (its subject, whether the rule's target
 * takes it) is worked out once and again only when its object, the rules or the objects change.
 *
 * Several rules may raise one alarm type on one subject (a meter's leak flag and its night flow
 * both mean `water_leak`): the engine clears the alarm only when none of them holds it any more.
 */
export class RuleEngine {
  private readonly byMetric = new Map<string, ReadingRule[]>();
  private durations: DurationJudge[] = [];
  private noData: NoDataWatch[] = [];
  private watches = new Map<string, Watch>();
  /** Bumped when targets may answer differently: every placement is worked out again on its next use. */
  private gen = 0;
  /** Each device's newest reading time: the timer's last-seen may lag behind what this process has judged. */
  private readonly lastSeen = new Map<string, number>();
  /** Raised states per alarm type and subject. */
  private readonly holders = new Map<string, number>();

  constructor(private readonly context: RuleContext) {}

  /**
   * Runs `rules` from now on (the disabled ones not at all). A rule that keeps its id, kind,
   * metric and alarm type keeps its state, so an edited bound still clears what the old one
   * raised. The alarms of a rule that is gone, disabled or changed beyond that stay until
   * cleared by hand.
   */
  setRules(rules: readonly AlarmRule[]): void {
    const previous = this.watches;
    this.watches = new Map();
    for (const rule of rules) if (rule.enabled) this.watches.set(rule.id, watchFor(rule));
    for (const [id, old] of previous) {
      const now = this.watches.get(id);
      if (now !== undefined && sameState(old.rule, now.rule)) now.states = old.states;
      else for (const s of old.states.values()) if (s.raised) this.hold(old.rule.alarmType, s.subject, -1);
    }
    this.byMetric.clear();
    this.durations = [];
    this.noData = [];
    for (const watch of this.watches.values()) {
      if (watch instanceof NoDataWatch) {
        this.noData.push(watch);
        continue;
      }
      if (watch instanceof DurationJudge) this.durations.push(watch);
      const list = this.byMetric.get(watch.metric);
      if (list) list.push(watch);
      else this.byMetric.set(watch.metric, [watch]);
    }
    this.gen++;
  }

  /** Objects or device registrations changed: targets and subjects are worked out again as readings come. */
  refreshTargets(): void {
    this.gen++;
  }

  /** What `readings` (committed, in any order) raise and clear. */
  evaluate(readings: readonly Reading[]): readonly AlarmSignal[] {
    let out: AlarmSignal[] | undefined;
    for (const r of readings) {
      if (this.noData.length > 0) out = this.seen(r, out);
      const rules = this.byMetric.get(r.metric);
      if (rules === undefined) continue;
      for (const rule of rules) out = this.judge(rule, r, out);
    }
    return out ?? NO_SIGNALS;
  }

  /**
   * The timer: devices silent for too long go offline (`devices`: the registry's, with their
   * last-seen), and durations complete that no new reading completed.
   */
  tick(nowMs: number, devices: readonly WatchedDevice[]): readonly AlarmSignal[] {
    let out: AlarmSignal[] | undefined;
    if (this.noData.length > 0) for (const device of devices) out = this.silence(device, nowMs, out);
    for (const rule of this.durations) {
      for (const [devEui, s] of rule.states) {
        if (!s.applies || rule.tick(s, nowMs) !== RAISE) continue;
        out = this.signal(out, rule, s, RAISE, devEui, s.lastMs, s.lastValue, rule.severity(), () =>
          rule.message(RAISE, s, s.lastValue),
        );
      }
    }
    return out ?? NO_SIGNALS;
  }

  /**
   * After a restart: the alarms the rules had raised (active in the alarms table) and the recent
   * readings (`recent-readings.ts`), replayed in time order. Returns what the replay raises and
   * clears; the store counts a reading once and ignores a clear older than an alarm's latest
   * reading, so passing them on is harmless, and mends a change a crash left half done.
   */
  restore(active: readonly ActiveRuleAlarm[], readings: readonly Reading[]): readonly AlarmSignal[] {
    for (const alarm of active) {
      const watch = this.watches.get(alarm.ruleId);
      if (watch === undefined) continue;
      const s = this.stateOf(watch, alarm.devEui);
      this.place(watch, s, alarm.devEui, alarm.objectNumber, undefined);
      if (s.raised) continue;
      s.raised = true;
      this.hold(watch.rule.alarmType, s.subject, 1);
      // A silence clears on a reading newer than the last-seen it was raised for.
      if (watch instanceof NoDataWatch) s.lastMs = alarm.lastReadingMs;
    }
    return this.evaluate([...readings].sort((a, b) => a.timeMs - b.timeMs));
  }

  private judge(rule: ReadingRule, r: Reading, out: AlarmSignal[] | undefined): AlarmSignal[] | undefined {
    let s = rule.states.get(r.devEui);
    if (s === undefined) {
      s = new RuleState();
      rule.states.set(r.devEui, s);
    } else if (r.timeMs < s.lastMs) {
      return this.judgeLate(rule, s, r, out);
    }
    if (s.gen !== this.gen || s.objectNumber !== r.objectNumber)
      out = this.place(rule, s, r.devEui, r.objectNumber, out);
    s.lastMs = r.timeMs;
    if (!s.applies) return out;
    const verdict = rule.judge(s, r.value, r.timeMs);
    if (verdict === RAISE || (verdict === CLEAR && s.raised)) {
      const { value } = r;
      out = this.signal(out, rule, s, verdict, r.devEui, r.timeMs, value, rule.severity(value), () =>
        rule.message(verdict, s, value),
      );
    }
    return out;
  }

  /** A reading older than the newest judged: it may count toward the alarm, never flip the state back. */
  private judgeLate(rule: ReadingRule, s: RuleState, r: Reading, out: AlarmSignal[] | undefined) {
    if (!s.applies || s.objectNumber !== r.objectNumber || rule.judgeLate?.(s, r.value) !== RAISE) return out;
    const { value } = r;
    return this.signal(out, rule, s, RAISE, r.devEui, r.timeMs, value, rule.severity(value), () =>
      rule.message(RAISE, s, value),
    );
  }

  /** A reading from a device: it is not silent. */
  private seen(r: Reading, out: AlarmSignal[] | undefined): AlarmSignal[] | undefined {
    const last = this.lastSeen.get(r.devEui);
    if (last === undefined || r.timeMs > last) this.lastSeen.set(r.devEui, r.timeMs);
    for (const watch of this.noData) {
      const s = watch.states.get(r.devEui);
      if (s === undefined || !s.raised || r.timeMs <= s.lastMs) continue;
      out = this.signal(out, watch, s, CLEAR, r.devEui, r.timeMs, null, watch.rule.severity, () =>
        watch.clearMessage(s, r.timeMs),
      );
    }
    return out;
  }

  private silence(device: WatchedDevice, nowMs: number, out: AlarmSignal[] | undefined): AlarmSignal[] | undefined {
    const seenMs = Math.max(device.lastSeenMs ?? Number.NEGATIVE_INFINITY, this.lastSeen.get(device.devEui) ?? 0);
    // A device that never reported has not gone silent: it has not started.
    if (seenMs <= 0) return out;
    const intervalMs = expectedIntervalMs(device.model);
    for (const watch of this.noData) {
      const s = this.stateOf(watch, device.devEui);
      if (s.gen !== this.gen || s.objectNumber !== device.objectNumber) {
        out = this.place(watch, s, device.devEui, device.objectNumber, out);
      }
      if (!s.applies) continue;
      if (s.raised && seenMs > s.lastMs) {
        // It reported to another server process: the registry knows, this engine saw no reading.
        out = this.signal(out, watch, s, CLEAR, device.devEui, seenMs, null, watch.rule.severity, () =>
          watch.clearMessage(s, seenMs),
        );
      } else if (!s.raised && watch.isSilent(seenMs, intervalMs, nowMs)) {
        s.lastMs = seenMs;
        out = this.signal(out, watch, s, RAISE, device.devEui, seenMs, null, watch.rule.severity, () =>
          watch.raiseMessage(seenMs, intervalMs, nowMs),
        );
      }
    }
    return out;
  }

  private stateOf(watch: Watch, devEui: string): RuleState {
    let s = watch.states.get(devEui);
    if (s === undefined) {
      s = new RuleState();
      watch.states.set(devEui, s);
    }
    return s;
  }

  /**
   * Works out where a device's readings go for a rule: the subject, the object, whether the
   * target takes it. A device moved to another object clears what it had raised on the old one,
   * which no device of this rule watches any more.
   */
  private place(
    watch: Watch,
    s: RuleState,
    devEui: string,
    objectNumber: string | null,
    out: AlarmSignal[] | undefined,
  ): AlarmSignal[] | undefined {
    const object = objectNumber === null ? undefined : this.context.objects.get(objectNumber);
    const subjectNumber = object?.number ?? objectNumber;
    const subject = subjectNumber ?? deviceSubject(devEui);
    if (s.subject !== '' && subject !== s.subject) {
      if (s.raised) {
        out = this.signal(
          out,
          watch,
          s,
          CLEAR,
          devEui,
          s.lastMs,
          null,
          watch.rule.severity,
          () => `the device now reports for ${subject}`,
        );
      }
      s.sinceMs = Number.NaN;
    }
    s.gen = this.gen;
    s.objectNumber = objectNumber;
    s.subject = subject;
    s.subjectNumber = subjectNumber;
    s.object = object;
    s.applies = watch.applies(object, this.context.deviceClass(devEui), this.context.deviceModel?.(devEui));
    return out;
  }

  /**
   * A raise, or a clear of a raised state: recorded in the state, and as a signal unless another
   * state still holds the same alarm (a clear then waits for the last one).
   */
  private signal(
    out: AlarmSignal[] | undefined,
    watch: Watch,
    s: RuleState,
    verdict: Verdict,
    devEui: string,
    readingMs: number,
    value: number | null,
    severity: AlarmSeverity,
    message: () => string,
  ): AlarmSignal[] | undefined {
    const { rule } = watch;
    if (verdict === RAISE && !s.raised) {
      s.raised = true;
      this.hold(rule.alarmType, s.subject, 1);
    } else if (verdict === CLEAR) {
      s.raised = false;
      if (this.hold(rule.alarmType, s.subject, -1) > 0) return out;
    }
    const signal: AlarmSignal = {
      action: verdict === RAISE ? 'raise' : 'clear',
      rule: { id: rule.id, alarmType: rule.alarmType, severity },
      subject: s.subject,
      objectNumber: s.subjectNumber,
      devEui,
      readingMs,
      value: value !== null && Number.isNaN(value) ? null : value,
      message: message(),
    };
    if (out === undefined) return [signal];
    out.push(signal);
    return out;
  }

  /** Counts a raised state in or out; returns how many hold the alarm now. */
  private hold(alarmType: string, subject: string, delta: 1 | -1): number {
    const key = `${alarmType}\u0000${subject}`;
    const count = Math.max(0, (this.holders.get(key) ?? 0) + delta);
    if (count === 0) this.holders.delete(key);
    else this.holders.set(key, count);
    return count;
  }
}

function watchFor(rule: AlarmRule): Watch {
  switch (rule.kind) {
    case 'threshold':
      return new ThresholdJudge(rule);
    case 'duration':
      return new DurationJudge(rule);
    case 'change':
      return new ChangeJudge(rule);
    case 'no_data':
      return new NoDataWatch(rule);
  }
}

/** Whether a changed rule's state still means the same: same kind, metric, change and alarm type. */
function sameState(a: AlarmRule, b: AlarmRule): boolean {
  if (a.kind !== b.kind || a.alarmType !== b.alarmType) return false;
  if (a.kind === 'no_data' || b.kind === 'no_data') return true;
  if (a.params.metric !== b.params.metric) return false;
  return a.kind !== 'change' || b.kind !== 'change' || a.params.change === b.params.change;
}
