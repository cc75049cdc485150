import { type Db, isDataError } from '@city/ingest';
import type { Logger } from 'pino';
import type { ObjectLookup } from '../objects/object-record.ts';
import type { LiveHub } from '../stream/live-hub.ts';
import type { AfterAlarmChange } from './alarm-changes.ts';
import type { AlarmSignal } from './alarm-signal.ts';
import { applySignals } from './alarm-store.ts';

export interface SignalWriterOptions {
  db: Db;
  objects: ObjectLookup;
  hub: LiveHub;
  afterChange?: AfterAlarmChange | undefined;
  log: Logger;
  /** Signals held while the database is away, at most; the oldest go first beyond it (counted). */
  maxQueued: number;
}

/** Signals written per transaction at most. */
const WRITE_BATCH = 2000;
const MAX_RETRY_DELAY_MS = 5000;

/**
 * One lane of alarm writes: signals queue while a transaction is in flight, so a burst becomes a
 * few large transactions and a single signal is written at once; the lane writes in order, and
 * publishes what each transaction changed once it has committed.
 */
export class SignalWriter {
  private queue: AlarmSignal[] = [];
  private writing: Promise<void> | undefined;
  private closed = false;
  /** Signals dropped: the queue was full (the database away for long), or the database refused one. */
  dropped = 0;

  constructor(private readonly opts: SignalWriterOptions) {}

  add(signal: AlarmSignal): void {
    if (this.closed) return;
    this.queue.push(signal);
    if (this.queue.length > this.opts.maxQueued) {
      this.queue.shift();
      this.dropped++;
      this.opts.log.error('alarm signal dropped: the database has not taken the queue for too long');
    }
    this.writing ??= this.drain().finally(() => {
      this.writing = undefined;
    });
  }

  /** Resolves once every signal added so far is written (or the writer closed). */
  async settled(): Promise<void> {
    while (this.writing) await this.writing;
  }

  close(): void {
    this.closed = true;
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
