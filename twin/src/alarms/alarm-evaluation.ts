import { type Db, findCodec, type Reading } from '@city/ingest';
import type { Logger } from 'pino';
import type { AlarmRule } from '../contract/alarm-rules.ts';
import type { LiveState } from '../live/live-state.ts';
import type { ReadingsSource } from '../live/readings-source.ts';
import type { ObjectLookup } from '../objects/object-record.ts';
import type { LiveHub } from '../stream/live-hub.ts';
import type { AfterAlarmChange } from './alarm-changes.ts';
import type { AlarmSignal } from './alarm-signal.ts';
import { AlarmRuleSync } from './rules/alarm-rule-sync.ts';
import { restoreRuleEngine } from './rules/restore-rule-engine.ts';
import { RuleEngine, type WatchedDevice } from './rules/rule-engine.ts';
import { SignalWriter } from './signal-writer.ts';

export interface AlarmEvaluationOptions {
  db: Db;
  objects: ObjectLookup;
  /** The live state: devices' models (their class) and last-seen, for targets and silences. */
  live: LiveState;
  readings?: ReadingsSource | undefined;
  /** Reads the device registry into `live` now: readings of a device it does not know yet wait for it. */
  refreshDevices?: () => Promise<void>;
  hub: LiveHub;
  /** The district roll-up, in the alarms' transaction. */
  afterChange?: AfterAlarmChange | undefined;
  log: Logger;
  /** How often silences and durations are checked, and targets worked out again (default 30 s). */
  tickMs?: number;
  /** How often the rules table is asked for changes (default 5 s). */
  rulesSyncMs?: number;
  /** Signals held while the database is away, at most; the oldest go first beyond it (counted). */
  maxQueued?: number;
}

const DEFAULT_TICK_MS = 30_000;
const DEFAULT_MAX_QUEUED = 100_000;
/**
 * Transactions in flight at once. Under a steady flow a single writer is busy much of the time,
 * and a signal of one object waits for another object's write; lanes keyed by subject take that
 * wait away and keep each object's signals in order. (In `pnpm bench alarms` the tail is set by
 * the CPU, so two lanes did not move it; README, Benchmarks.)
 */
const WRITERS = 2;

/**
 * The alarm rules at work in a server process: committed readings go through the rule engine
 * as they arrive, a timer finds silences and finished durations, and the signals are written by
 * the alarm store, one transaction at a time, then published to the live stream.
 *
 * Every server process evaluates every reading (each hears them all); the store makes that
 * harmless - each reading counts once, whichever process writes it first - and the process whose
 * write changed something is the one that publishes it. Signals are written by a few writers
 * side by side (`signal-writer.ts`), each subject always by the same one, so in order.
 */
export class AlarmEvaluation {
  readonly engine: RuleEngine;
  /** Writers working side by side, each on its own subjects (and connection). */
  private readonly lanes: SignalWriter[];
  /** Readings waiting for the device registry to be read (see `take`), the last in line. */
  private waiting: Promise<void> | undefined;
  private stopListening: () => Promise<void> = async () => {};
  private timer: NodeJS.Timeout | undefined;
  private rules: AlarmRuleSync | undefined;
  private closed = false;

  private constructor(private readonly opts: AlarmEvaluationOptions) {
    const { live } = opts;
    const maxQueued = Math.ceil((opts.maxQueued ?? DEFAULT_MAX_QUEUED) / WRITERS);
    this.lanes = Array.from({ length: WRITERS }, () => new SignalWriter({ ...opts, maxQueued }));
    this.engine = new RuleEngine({
      objects: opts.objects,
      deviceClass: (devEui) => {
        const model = live.deviceModel(devEui);
        return model === null ? undefined : findCodec(model)?.class;
      },
      deviceModel: (devEui) => live.deviceModel(devEui) ?? undefined,
    });
  }

  /** Loads the rules, rebuilds the engine's state from the database, then follows readings and the clock. */
  static async start(opts: AlarmEvaluationOptions): Promise<AlarmEvaluation> {
    const evaluation = new AlarmEvaluation(opts);
    let restored = false;
    let current: AlarmRule[] = [];
    evaluation.rules = await AlarmRuleSync.start({
      db: opts.db,
      log: opts.log,
      intervalMs: opts.rulesSyncMs,
      onRules: (rules) => {
        current = rules;
        evaluation.engine.setRules(rules);
        if (restored) opts.log.info({ rules: rules.length }, 'alarm rules changed');
      },
    });
    try {
      // Listening first, as the live state does: readings committed while the state is rebuilt are not missed.
      if (opts.readings) evaluation.stopListening = await opts.readings.listen((r) => evaluation.take(r));
      evaluation.enqueue(await restoreRuleEngine(opts.db, evaluation.engine, current, Date.now()));
      restored = true;
    } catch (err) {
      await evaluation.close();
      throw err;
    }
    evaluation.timer = setInterval(() => evaluation.tick(Date.now()), opts.tickMs ?? DEFAULT_TICK_MS);
    evaluation.timer.unref();
    return evaluation;
  }

  /**
   * Committed readings (what the readings source calls; tests and the bench call it directly).
   * Rules aimed at a device class or model need the device's model: readings of a device this
   * process does not know yet (adopted a moment ago, in any process) wait until the registry has
   * been read again, and readings after them wait too, so that none is judged out of turn.
   */
  take(readings: readonly Reading[]): void {
    const { refreshDevices, live } = this.opts;
    if (!this.waiting && (!refreshDevices || readings.every((r) => live.deviceModel(r.devEui) !== null))) {
      this.enqueue(this.engine.evaluate(readings));
      return;
    }
    const after =
      this.waiting ??
      refreshDevices?.().catch((err: Error) => {
        this.opts.log.warn({ err: err.message }, 'alarm rules: device registry not read; judging without it');
      });
    const turn: Promise<void> = Promise.resolve(after).then(() => {
      this.enqueue(this.engine.evaluate(readings));
      if (this.waiting === turn) this.waiting = undefined;
    });
    this.waiting = turn;
  }

  /** Silences, durations that completed with no reading, and targets worked out again (objects may have moved). */
  tick(nowMs: number): void {
    this.engine.refreshTargets();
    const devices: WatchedDevice[] = [];
    this.opts.live.forEachDeviceStatus((devEui, objectNumber, model, lastSeenMs) =>
      devices.push({ devEui, objectNumber, model, lastSeenMs: lastSeenMs > 0 ? lastSeenMs : null }),
    );
    this.enqueue(this.engine.tick(nowMs, devices));
  }

  /** The rules changed through this process's API: the engine runs them at once. */
  rulesChanged(): Promise<void> {
    return this.rules?.refresh() ?? Promise.resolve();
  }

  /** Signals dropped: a queue was full (the database away for long), or the database refused one. */
  get dropped(): number {
    return this.lanes.reduce((sum, lane) => sum + lane.dropped, 0);
  }

  /** Resolves once every reading taken so far is judged and its signals written (or the evaluation closed). */
  async settled(): Promise<void> {
    while (this.waiting) await this.waiting;
    await Promise.all(this.lanes.map((lane) => lane.settled()));
  }

  async close(): Promise<void> {
    this.closed = true;
    clearInterval(this.timer);
    this.rules?.close();
    await this.stopListening();
    await this.settled();
    for (const lane of this.lanes) lane.close();
  }

  private enqueue(signals: readonly AlarmSignal[]): void {
    if (this.closed) return;
    for (const signal of signals) (this.lanes[laneOf(signal.subject, this.lanes.length)] as SignalWriter).add(signal);
  }
}

/** The lane of a subject: its signals always take the same one, so they are written in order. */
function laneOf(subject: string, lanes: number): number {
  let hash = 0;
  for (let i = 0; i < subject.length; i++) hash = (hash * 31 + subject.charCodeAt(i)) | 0;
  return Math.abs(hash) % lanes;
}
