import { type Db, findCodec, isDataError, type Reading } from '@city/ingest';
import type { Logger } from 'pino';
import type { AlarmRule } from '../contract/alarm-rules.ts';
import type { LiveState } from '../live/live-state.ts';
import type { ReadingsSource } from '../live/readings-source.ts';
import type { ObjectLookup } from '../objects/object-record.ts';
import type { LiveHub } from '../stream/live-hub.ts';
import type { AfterAlarmChange } from './alarm-changes.ts';
import type { AlarmSignal } from './alarm-signal.ts';
import { applySignals } from './alarm-store.ts';
import { AlarmRuleSync } from './rules/alarm-rule-sync.ts';
import { restoreRuleEngine } from './rules/restore-rule-engine.ts';
import { RuleEngine, type WatchedDevice } from './rules/rule-engine.ts';

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

/** Signals written per transaction at most. */
const WRITE_BATCH = 2000;
const DEFAULT_TICK_MS = 30_000;
const DEFAULT_MAX_QUEUED = 100_000;
const MAX_RETRY_DELAY_MS = 5000;

/**
 * The alarm rules at work in a server process: committed readings go through the rule engine
 * as they arrive, a timer finds silences and finished durations, and the signals are written by
 * the alarm store, one transaction at a time, then published to the live stream.
 *
 * Every server process evaluates every reading (each hears them all); the store makes that
 * harmless - each reading counts once, whichever process writes it first - and the process whose
 * write changed something is the one that publishes it. Signals wait in a queue while a write is
 * in flight, so a burst becomes a few large transactions and a single signal is written at once.
 */
export class AlarmEvaluation {
  readonly engine: RuleEngine;
  private queue: AlarmSignal[] = [];
  private writing: Promise<void> | undefined;
  /** Readings waiting for the device registry to be read (see `take`), the last in line. */
  private waiting: Promise<void> | undefined;
  private stopListening: () => Promise<void> = async () => {};
  private timer: NodeJS.Timeout | undefined;
  private rules: AlarmRuleSync | undefined;
  private closed = false;
  /** Signals dropped: the queue was full (the database away for long), or the database refused one. */
  dropped = 0;

  private constructor(private readonly opts: AlarmEvaluationOptions) {
    const { live } = opts;
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

  /** Resolves once every reading taken so far is judged and its signals written (or the evaluation closed). */
  async settled(): Promise<void> {
    while (this.waiting || this.writing) await (this.waiting ?? this.writing);
  }

  async close(): Promise<void> {
    this.closed = true;
    clearInterval(this.timer);
    this.rules?.close();
    await this.stopListening();
    await this.settled();
  }

  private enqueue(signals: readonly AlarmSignal[]): void {
    if (signals.length === 0 || this.closed) return;
    for (const s of signals) this.queue.push(s);
    const max = this.opts.maxQueued ?? DEFAULT_MAX_QUEUED;
    if (this.queue.length > max) {
      const over = this.queue.length - max;
      this.queue.splice(0, over);
      this.dropped += over;
      this.opts.log.error({ dropped: over }, 'alarm signals dropped: the database has not taken them for too long');
    }
    this.writing ??= this.drain().finally(() => {
      this.writing = undefined;
    });
  }

  /**
   * Writes the queue in order, a batch per transaction, retrying while the database is away. A
   * batch the database refuses for its data (no check foresaw) is written again one signal at a
   * time, so one bad signal is dropped (logged, counted) and cannot hold the others.
   */
  private async drain(): Promise<void> {
    let delay = 100;
    /** Signals of a refused batch still to write one by one. */
    let singles = 0;
    while (this.queue.length > 0) {
      const batch = this.queue.slice(0, singles > 0 ? 1 : WRITE_BATCH);
      try {
        const events = await applySignals(this.opts.db, batch, this.opts.objects, {
          afterChange: this.opts.afterChange,
        });
        this.queue.splice(0, batch.length);
        if (singles > 0) singles--;
        delay = 100;
        this.opts.hub.publish(events);
      } catch (err) {
        if (this.closed) return;
        if (isDataError(err)) {
          if (batch.length > 1) singles = batch.length;
          else {
            this.queue.shift();
            singles--;
            this.dropped++;
            this.opts.log.error(
              { err: (err as Error).message, signal: batch[0] },
              'alarm signal refused by the database',
            );
          }
          continue;
        }
        this.opts.log.warn(
          { err: (err as Error).message, signals: this.queue.length, retryInMs: delay },
          'alarm write failed',
        );
        await new Promise((resolve) => setTimeout(resolve, delay));
        delay = Math.min(delay * 2, MAX_RETRY_DELAY_MS);
      }
    }
  }
}
