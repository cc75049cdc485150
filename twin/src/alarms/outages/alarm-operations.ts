import type { Db, HealthChecks } from '@city/ingest';
import type { Logger } from 'pino';
import { pruneLiveEvents } from '../../stream/live-events-table.ts';
import type { LiveHub } from '../../stream/live-hub.ts';
import { pruneAlarmHits } from '../alarm-hits-table.ts';
import { type AlarmOperationsMetrics, createAlarmOperationsMetrics } from './alarm-operations-metrics.ts';
import type { AlarmOperationsSettings } from './alarm-operations-settings.ts';
import { escalateOverdue } from './escalation.ts';
import type { Backoff } from './webhook-backoff.ts';
import { deliveryBacklog, pruneDeliveries } from './webhook-deliveries-table.ts';
import { deliverDue } from './webhook-worker.ts';

/** /health's `webhook` component: always up (a receiver's trouble is no reason to take this server out), with its outbox's backlog. */
export interface WebhookHealth {
  up: true;
  pending: number;
  failedLastDay: number;
  lastError: string | null;
}

/** How often each timer runs (tests: less). */
export interface AlarmOperationsTimings {
  escalationMs: number;
  webhookMs: number;
  pruneMs: number;
}

export const ALARM_OPERATIONS_TIMINGS: AlarmOperationsTimings = {
  escalationMs: 10_000,
  webhookMs: 2_000,
  // Hourly rather than daily: each pass deletes an hour's rows, not a day's at once.
  pruneMs: 3_600_000,
};

export interface AlarmOperationsOptions {
  db: Db;
  hub: LiveHub;
  log: Logger;
  settings: AlarmOperationsSettings;
  timings?: Partial<AlarmOperationsTimings> | undefined;
  /** Webhook retries (tests: a tiny base) and jitter's source. */
  backoff?: Backoff | undefined;
  random?: (() => number) | undefined;
  webhookTimeoutMs?: number | undefined;
}

/**
 * The alarms' background work, in every server process: escalating overdue critical alarms,
 * calling the webhook, pruning the logs. The database decides which process does each piece
 * (rows taken with SKIP LOCKED), so replicas run the same timers without doing anything twice.
 */
export class AlarmOperations {
  readonly metrics: AlarmOperationsMetrics;
  readonly #opts: AlarmOperationsOptions;
  readonly #timers: Timer[];
  readonly #webhook: Timer | undefined;

  private constructor(opts: AlarmOperationsOptions) {
    this.#opts = opts;
    this.metrics = createAlarmOperationsMetrics(opts.db);
    const every = { ...ALARM_OPERATIONS_TIMINGS, ...opts.timings };
    const { settings } = opts;
    this.#webhook = settings.webhook && new Timer('webhook', every.webhookMs, () => this.#deliver(), opts.log);
    this.#timers = [
      new Timer('escalation', every.escalationMs, () => this.#escalate(), opts.log),
      new Timer('pruning', every.pruneMs, () => this.#prune(), opts.log),
      ...(this.#webhook ? [this.#webhook] : []),
    ];
  }

  static start(opts: AlarmOperationsOptions): AlarmOperations {
    return new AlarmOperations(opts);
  }

  /** /health's components: `webhook` when one is set. */
  healthChecks(): HealthChecks {
    if (!this.#opts.settings.webhook) return {};
    return { webhook: async (): Promise<WebhookHealth> => ({ up: true, ...(await deliveryBacklog(this.#opts.db)) }) };
  }

  async close(): Promise<void> {
    await Promise.all(this.#timers.map((t) => t.stop()));
  }

  async #escalate(): Promise<void> {
    const { db, settings, hub, log } = this.#opts;
    const { alarms, events } = await escalateOverdue(db, {
      afterSeconds: settings.escalateAfterSeconds,
      webhook: settings.webhook !== undefined,
    });
    if (alarms.length === 0) return;
    hub.publish(events);
    this.metrics.escalations.inc(alarms.length);
    log.warn(`escalated ${alarms.length} unacknowledged critical alarm(s): ${alarms.map((a) => a.id).join(', ')}`);
    // Their calls go now rather than at the next tick.
    this.#webhook?.runSoon();
  }

  async #deliver(): Promise<void> {
    const { db, settings, log, backoff, random, webhookTimeoutMs } = this.#opts;
    if (!settings.webhook) return;
    const options = {
      db,
      target: settings.webhook,
      log,
      metrics: this.metrics,
      backoff,
      random,
      timeoutMs: webhookTimeoutMs,
    };
    // A full pass may have left more due: go on until one takes less than a full pass.
    while ((await deliverDue(options)) > 0 && !this.#webhook?.stopped) {}
  }

  async #prune(): Promise<void> {
    const { db, settings, log } = this.#opts;
    const hits = await pruneAlarmHits(db, settings.retentionHours);
    const events = await pruneLiveEvents(db, settings.retentionHours);
    const deliveries = await pruneDeliveries(db, settings.retentionHours);
    if (hits + events + deliveries > 0) {
      log.info(`pruned ${hits} alarm hits, ${events} stream log events, ${deliveries} webhook deliveries`);
    }
  }
}

/** Runs `work` now and then every `everyMs` after it finishes (never two at once); failures are logged. */
class Timer {
  stopped = false;
  #handle: NodeJS.Timeout | undefined;
  #running: Promise<void> | undefined;

  constructor(
    readonly name: string,
    readonly everyMs: number,
    readonly work: () => Promise<void>,
    readonly log: Logger,
  ) {
    this.#schedule(0);
  }

  /** Runs as soon as the current run (if any) ends. */
  runSoon(): void {
    if (this.#running || this.stopped) return;
    this.#schedule(0);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.#handle);
    await this.#running;
  }

  #schedule(ms: number): void {
    clearTimeout(this.#handle);
    this.#handle = setTimeout(() => {
      this.#running = this.work()
        .catch((err: Error) => this.log.error(`alarm ${this.name}: ${err.message}`))
        .finally(() => {
          this.#running = undefined;
          if (!this.stopped) this.#schedule(this.everyMs);
        });
    }, ms);
    // The timers never keep a process alive that is otherwise done.
    this.#handle.unref();
  }
}
