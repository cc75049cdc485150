import { EventEmitter } from 'node:events';
import type { Logger } from 'pino';
import type { Reading } from '../contract/reading.ts';
import type { DeviceRegistry } from '../devices/registry.ts';
import type { Spool, SpooledFrame, SpoolRefs } from '../spool/spool.ts';
import type { Db } from '../store/db.ts';
import { writeBatch } from '../store/write-batch.ts';
import { Batch } from './batch.ts';
import { DeviceState } from './device-state.ts';
import { type FrameResult, LookupUnavailable, processFrame } from './frame.ts';
import type { IngestMetrics } from './prometheus.ts';

export interface IngestOptions {
  batchSize: number;
  flushMs: number;
  bufferLimit: number;
  /** Batches committed concurrently, each on its own database connection. */
  writers: number;
  /** How often merged device state (last seen, battery, radio) is written. */
  stateFlushMs?: number;
}

/**
 * What ingest tells the rest of the system after a commit (the twin listens). A listener gets
 * the readings of the frames taken after it subscribed.
 */
export interface IngestEvents {
  readings: [readings: Reading[]];
}

const MAX_RETRY_DELAY_MS = 5_000;

/**
 * The ingest pipeline between the broker and the database. `accept()` turns a frame into rows
 * of the open batch; batches are committed one at a time, on size or on time, and a failed
 * commit is retried until the database answers again. While the buffer is full `accept()`
 * does not resolve, which keeps the MQTT acknowledgement back and the broker holding the
 * rest: nothing is dropped, memory stays bounded.
 */
export class Ingest extends EventEmitter<IngestEvents> {
  private open = this.newBatch();
  /** Batches being committed, each on its own connection, at most `writers` at once. */
  private readonly writing = new Map<Batch, Promise<void>>();
  /** Frames waiting for the lookup of a device the registry's cache does not hold. */
  private readonly lookingUp = new Set<Promise<void>>();
  private timer: NodeJS.Timeout | undefined;
  private stateTimer: NodeJS.Timeout | undefined;
  private waiters: (() => void)[] = [];
  private stopped = false;
  readonly state = new DeviceState();
  lastCommitAt: Date | null = null;
  lastWriteError: string | null = null;

  constructor(
    private readonly db: Db,
    readonly registry: DeviceRegistry,
    readonly metrics: IngestMetrics,
    private readonly log: Logger,
    private readonly opts: IngestOptions,
    private readonly spool?: Spool,
  ) {
    super();
    // 'newListener' is EventEmitter's own event, outside the typed map of ours.
    (this as EventEmitter).on('newListener', (event: string | symbol) => {
      if (event === 'readings') this.open.publish();
    });
    this.stateTimer = setInterval(() => void this.flushState(), opts.stateFlushMs ?? 5_000);
    this.stateTimer.unref();
  }

  /** Frames received and not yet committed. */
  get depth(): number {
    let frames = this.open.frames + this.lookingUp.size;
    for (const batch of this.writing.keys()) frames += batch.frames;
    return frames;
  }

  /**
   * Takes one frame into the open batch. Returns undefined when the frame is taken (spooled,
   * and in the buffer), a promise while there is no room in the buffer: the MQTT
   * acknowledgement, and with it the rest of the stream, waits for that promise.
   *
   * A frame from a device the registry's cache does not hold waits for its lookup on the side,
   * counted in the buffer's depth, so that a fleet of new devices does not slow the stream to
   * one database round trip per device.
   */
  accept(topic: string, payload: Uint8Array): Promise<void> | undefined {
    if (this.depth >= this.opts.bufferLimit) return this.acceptWhenRoom(topic, payload);
    this.metrics.framesIn.inc();
    const segment = this.spool?.append(topic, payload);
    const result = this.process(topic, payload);
    if (!(result instanceof Promise)) {
      this.accepted(result, segment);
      return undefined;
    }
    const looked = result
      .then(
        (r) => this.accepted(r, segment),
        (err: unknown) => this.retryLookup(topic, payload, err, segment),
      )
      .catch((err: Error) =>
        this.log.error({ err: err.message, topic }, 'device lookup failed unexpectedly; the frame stays in the spool'),
      )
      .finally(() => this.lookingUp.delete(looked));
    this.lookingUp.add(looked);
    return undefined;
  }

  /** Readings are collected as objects only for listeners of committed readings. */
  private newBatch(): Batch {
    const batch = new Batch();
    if (this.listenerCount('readings') > 0) batch.publish();
    return batch;
  }

  /** The open batch at the moment a frame's rows are added (a lookup may have awaited meanwhile). */
  private readonly openBatch = () => this.open;

  private process(topic: string, payload: Uint8Array) {
    return processFrame(topic, payload, this.registry, this.openBatch, this.state);
  }

  /**
   * Writes the frames accepted since the last call to the spool. The subscriber calls it before
   * the acknowledgements of those frames leave for the broker.
   */
  flushSpool(): void {
    this.spool?.flush();
  }

  /** Replays frames a crashed process left in the spool, commits them, then frees their segments. */
  async replay(frames: SpooledFrame[], refs: SpoolRefs): Promise<void> {
    for (const { topic, payload } of frames) {
      this.metrics.framesIn.inc();
      const result = this.process(topic, payload);
      this.accepted(result instanceof Promise ? await result : result);
    }
    await this.drain();
    this.spool?.release(refs);
  }

  private async acceptWhenRoom(topic: string, payload: Uint8Array): Promise<void> {
    while (this.depth >= this.opts.bufferLimit) await new Promise<void>((resolve) => this.waiters.push(resolve));
    await this.accept(topic, payload);
  }

  private accepted(result: FrameResult, segment?: number): void {
    if (segment !== undefined) result.batch.spooled.set(segment, (result.batch.spooled.get(segment) ?? 0) + 1);
    if (result.ok) this.metrics.decoded.inc();
    else this.metrics.failed.inc({ reason: result.error.reason });
    this.metrics.bufferDepth.set(this.depth);
    if (this.open.frames >= this.opts.batchSize) this.kick();
    else this.timer ??= setTimeout(() => this.kick(), this.opts.flushMs);
  }

  /**
   * A device lookup failed because the database is away (a device not yet in the registry's
   * cache speaking during an outage). The frame is held in the buffer and asked again until the
   * database answers; it is not dead-lettered, because nothing is wrong with it. Held frames
   * count in the buffer's depth, so a long outage fills the buffer and holds the stream.
   */
  private async retryLookup(topic: string, payload: Uint8Array, err: unknown, segment?: number): Promise<void> {
    if (!(err instanceof LookupUnavailable)) throw err;
    let delay = 100;
    for (;;) {
      this.log.warn({ err: err.message, topic, retryInMs: delay }, 'device lookup failed; holding the frame');
      await new Promise((resolve) => setTimeout(resolve, delay));
      delay = Math.min(delay * 2, MAX_RETRY_DELAY_MS);
      try {
        this.accepted(await this.process(topic, payload), segment);
        return;
      } catch (again) {
        if (!(again instanceof LookupUnavailable)) throw again;
      }
    }
  }

  /** Commits everything accepted so far (waits for retries while the database is away). */
  async drain(): Promise<void> {
    while (this.open.frames > 0 || this.writing.size > 0 || this.lookingUp.size > 0) {
      this.kick();
      await Promise.race([...this.writing.values(), ...this.lookingUp]);
    }
  }

  async stop(): Promise<void> {
    await this.drain();
    this.spool?.close();
    this.stopped = true;
    clearInterval(this.stateTimer);
    await this.flushState();
  }

  /** Starts committing the open batch if a writer is free; the next batch fills meanwhile. */
  private kick(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    if (this.open.frames === 0 || this.writing.size >= this.opts.writers) return;
    const batch = this.open;
    this.open = this.newBatch();
    // commit() takes the batch out of `writing` itself, before it wakes blocked frames.
    const commit = this.commit(batch).finally(() => {
      if (this.open.frames >= this.opts.batchSize) this.kick();
      else if (this.open.frames > 0) this.timer ??= setTimeout(() => this.kick(), this.opts.flushMs);
    });
    this.writing.set(batch, commit);
  }

  /** Writes one batch, retrying until the database takes it, then tells the listeners. */
  private async commit(batch: Batch): Promise<void> {
    let delay = 100;
    for (;;) {
      const started = performance.now();
      try {
        await writeBatch(this.db, batch.rows);
        this.metrics.batchLatency.observe((performance.now() - started) / 1000);
        break;
      } catch (err) {
        this.metrics.writeErrors.inc();
        this.lastWriteError = (err as Error).message;
        this.log.warn({ err: (err as Error).message, frames: batch.frames, retryInMs: delay }, 'batch write failed');
        await new Promise((resolve) => setTimeout(resolve, delay));
        delay = Math.min(delay * 2, MAX_RETRY_DELAY_MS);
      }
    }
    // Out of the buffer before the waiters look at its depth again.
    this.writing.delete(batch);
    this.spool?.release(batch.spooled);
    this.lastCommitAt = new Date();
    this.lastWriteError = null;
    this.metrics.batchSize.observe(batch.frames);
    this.metrics.uplinks.inc(batch.rows.uplinks.count);
    this.metrics.readings.inc(batch.rows.readings.count);
    this.metrics.deadLettered.inc(batch.rows.deadLetters.length);
    this.metrics.bufferDepth.set(this.depth);
    for (const wake of this.waiters.splice(0)) wake();
    if (batch.published?.length) this.emit('readings', batch.published);
  }

  private async flushState(): Promise<void> {
    if (this.stopped && this.state.size === 0) return;
    try {
      await this.state.flush(this.db);
    } catch (err) {
      this.log.warn({ err: (err as Error).message }, 'device state write failed; will retry');
    }
  }
}
