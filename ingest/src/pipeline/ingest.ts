import { EventEmitter } from 'node:events';
import type { Logger } from 'pino';
import { INGEST_SETTINGS } from '../config/ingest-settings.ts';
import type { Reading } from '../contract/reading.ts';
import type { DeviceRegistry } from '../devices/registry.ts';
import { FrameError } from '../frame-error.ts';
import type { Spool, SpooledFrame, SpoolRefs } from '../spool/spool.ts';
import { BatchRows } from '../store/batch-rows.ts';
import type { Db } from '../store/db.ts';
import { isDataError } from '../store/db-errors.ts';
import { writeBatch } from '../store/write-batch.ts';
import { Batch } from './batch.ts';
import { DeviceState } from './device-state.ts';
import { addDeadLetter, type FrameLimits, type FrameResult, LookupUnavailable, processFrame } from './frame.ts';
import type { IngestMetrics } from './prometheus.ts';
import { ReceivedFrames } from './received-frames.ts';

export interface IngestOptions {
  batchSize: number;
  flushMs: number;
  bufferLimit: number;
  /** Batches committed concurrently, each on its own database connection. */
  writers: number;
  /** How often merged device state (last seen, battery, radio) is written. */
  stateFlushMs?: number;
  /** Events dated earlier are dead-lettered (TIME_MIN). */
  timeMinMs?: number;
  /** Events dated further ahead of their arrival are dead-lettered (TIME_MAX_AHEAD_S). */
  maxAheadSeconds?: number;
  /** KB of a dead letter's payload kept (DEAD_LETTER_PAYLOAD_KB). */
  deadLetterPayloadKb?: number;
}

/**
 * What ingest tells the rest of the system after a commit (the twin listens). A listener gets
 * the readings of the frames taken after it subscribed.
 */
export interface IngestEvents {
  readings: [readings: Reading[]];
}

const MAX_RETRY_DELAY_MS = 5_000;
/** How long a stop waits for the database to take what is buffered. */
const STOP_DEADLINE_MS = 15_000;

/**
 * The ingest pipeline between the broker and the database. `accept()` turns a frame into rows
 * of the open batch; batches are committed one at a time, on size or on time, and a failed
 * commit is retried until the database answers again. While the buffer is full `accept()`
 * does not resolve, which keeps the MQTT acknowledgement back and the broker holding the
 * rest: nothing is dropped, memory stays bounded.
 */
export class Ingest extends EventEmitter<IngestEvents> {
  /** Emptied frame buffers of committed batches, for the next batches (see ReceivedFrames). */
  private readonly spareFrames: ReceivedFrames[] = [];
  /** The batch frames are added to now (set in the constructor, once the spool is known). */
  private open: Batch;
  /** Batches being committed, each on its own connection, at most `writers` at once. */
  private readonly writing = new Map<Batch, Promise<void>>();
  /** Frames waiting for the lookup of a device the registry's cache does not hold. */
  private readonly lookingUp = new Set<Promise<void>>();
  private timer: NodeJS.Timeout | undefined;
  private stateTimer: NodeJS.Timeout | undefined;
  private waiters: (() => void)[] = [];
  private stopped = false;
  readonly state = new DeviceState();
  private readonly limits: FrameLimits;
  /** Batches whose last write failed, with its error: one writer's success does not hide another's failure. */
  private readonly failing = new Map<Batch, string>();
  lastCommitAt: Date | null = null;

  constructor(
    private readonly db: Db,
    readonly registry: DeviceRegistry,
    readonly metrics: IngestMetrics,
    private readonly log: Logger,
    private readonly opts: IngestOptions,
    private readonly spool?: Spool,
  ) {
    super();
    this.open = this.newBatch();
    this.limits = {
      window: {
        minMs: opts.timeMinMs ?? INGEST_SETTINGS.timeMinMs.default,
        maxAheadMs: 1000 * (opts.maxAheadSeconds ?? INGEST_SETTINGS.maxAheadSeconds.default),
      },
      deadLetterBytes: 1024 * (opts.deadLetterPayloadKb ?? INGEST_SETTINGS.deadLetterPayloadKb.default),
    };
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

  /** Writers whose batch is failing right now (the database away, or a batch being split). */
  get failingWriters(): number {
    return this.failing.size;
  }

  /** The error of the most recent failing write, null while every writer succeeds. */
  get lastWriteError(): string | null {
    let last: string | null = null;
    for (const error of this.failing.values()) last = error;
    return last;
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
    const offset = this.spool?.lastOffset;
    const result = this.process(topic, payload);
    if (!(result instanceof Promise)) {
      this.accepted(result, topic, payload, segment, offset);
      return undefined;
    }
    const looked = result
      .then(
        (r) => this.accepted(r, topic, payload, segment, offset),
        (err: unknown) => this.retryLookup(topic, payload, err, segment, offset),
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
    const batch = new Batch(this.spareFrames.pop() ?? new ReceivedFrames(this.spool));
    if (this.listenerCount('readings') > 0) batch.publish();
    return batch;
  }

  /** The open batch at the moment a frame's rows are added (a lookup may have awaited meanwhile). */
  private readonly openBatch = () => this.open;

  private process(topic: string, payload: Uint8Array) {
    return processFrame(topic, payload, this.registry, this.openBatch, this.state, this.limits);
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
      this.accepted(result instanceof Promise ? await result : result, topic, payload);
    }
    await this.drain();
    this.spool?.release(refs);
  }

  private async acceptWhenRoom(topic: string, payload: Uint8Array): Promise<void> {
    while (this.depth >= this.opts.bufferLimit) await new Promise<void>((resolve) => this.waiters.push(resolve));
    await this.accept(topic, payload);
  }

  private accepted(result: FrameResult, topic: string, payload: Uint8Array, segment?: number, offset?: number): void {
    const { received, spooled } = result.batch;
    if (segment === undefined || offset === undefined) received.addCopy(topic, payload);
    else {
      received.addSpooled(segment, offset);
      spooled.set(segment, (spooled.get(segment) ?? 0) + 1);
    }
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
  private async retryLookup(
    topic: string,
    payload: Uint8Array,
    err: unknown,
    segment?: number,
    offset?: number,
  ): Promise<void> {
    if (!(err instanceof LookupUnavailable)) throw err;
    let delay = 100;
    for (;;) {
      this.log.warn({ err: err.message, topic, retryInMs: delay }, 'device lookup failed; holding the frame');
      await new Promise((resolve) => setTimeout(resolve, delay));
      delay = Math.min(delay * 2, MAX_RETRY_DELAY_MS);
      try {
        this.accepted(await this.process(topic, payload), topic, payload, segment, offset);
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

  /**
   * Commits everything accepted, then closes the spool, which deletes it: the next start replays
   * nothing. When the database does not take the rest within `deadlineMs`, throws and leaves
   * the spool to the next start.
   */
  async stop(deadlineMs = STOP_DEADLINE_MS): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<'late'>((resolve) => {
      timer = setTimeout(() => resolve('late'), deadlineMs);
    });
    const drained = await Promise.race([this.drain(), late]);
    clearTimeout(timer);
    this.stopped = true;
    clearInterval(this.stateTimer);
    this.spool?.close();
    if (drained === 'late') {
      throw new Error(
        `${this.depth} frames not committed within ${deadlineMs / 1000} s (last error: ${this.lastWriteError ?? 'none'}); the spool keeps them for the next start`,
      );
    }
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

  /**
   * Writes one batch, retrying until the database takes it, then tells the listeners. A batch
   * the database refuses for its data is split (see `split`), so that one frame no check
   * foresaw cannot hold the pipeline.
   */
  private async commit(batch: Batch): Promise<void> {
    const started = performance.now();
    const refused = await this.write(batch, batch.rows);
    if (refused) await this.split(batch, refused);
    else this.committed(batch.rows, batch.published);
    this.metrics.batchLatency.observe((performance.now() - started) / 1000);
    // Out of the buffer before the waiters look at its depth again.
    this.writing.delete(batch);
    this.spool?.release(batch.spooled);
    batch.received.clear();
    if (this.spareFrames.length <= this.opts.writers) this.spareFrames.push(batch.received);
    this.lastCommitAt = new Date();
    this.metrics.batchSize.observe(batch.frames);
    this.metrics.bufferDepth.set(this.depth);
    for (const wake of this.waiters.splice(0)) wake();
  }

  /**
   * Writes rows of `batch`, retrying with back-off while the database is away. Returns the
   * error when the database refused the rows themselves (`isDataError`): those would fail again.
   */
  private async write(batch: Batch, rows: BatchRows): Promise<Error | undefined> {
    let delay = 100;
    for (;;) {
      try {
        await writeBatch(this.db, rows);
        this.failing.delete(batch);
        this.metrics.writersFailing.set(this.failing.size);
        return undefined;
      } catch (err) {
        const message = (err as Error).message;
        this.metrics.writeErrors.inc();
        this.failing.set(batch, message);
        this.metrics.writersFailing.set(this.failing.size);
        if (isDataError(err)) return err as Error;
        // A stop that gave up (see `stop`) ends the retries: the spool keeps these frames, and
        // the write is left pending for good while the process exits.
        if (this.stopped) return new Promise<never>(() => {});
        this.log.warn({ err: message, frames: batch.frames, retryInMs: delay }, 'batch write failed');
        await new Promise((resolve) => setTimeout(resolve, delay));
        delay = Math.min(delay * 2, MAX_RETRY_DELAY_MS);
      }
    }
  }

  /** Counts committed rows and tells the listeners of their readings. */
  private committed(rows: BatchRows, published: Reading[] | undefined): void {
    this.metrics.uplinks.inc(rows.uplinks.count);
    this.metrics.readings.inc(rows.readings.count);
    this.metrics.deadLettered.inc(rows.deadLetters.length);
    if (published?.length) this.emit('readings', published);
  }

  /**
   * The database refused `batch` for its data: a value the checks of `validate.ts` did not
   * foresee. Its frames are built again from what was received and written in halves, each half
   * in its own transaction, until each refused frame stands alone; it becomes a dead letter with
   * the database's message, and everything else commits. Writes are idempotent, so a half that
   * commits twice (a retry after a lost connection) is harmless. This path is rare and may be
   * slow; the hot path keeps its one COPY per table.
   */
  private async split(batch: Batch, refused: Error): Promise<void> {
    this.log.warn({ err: refused.message, frames: batch.frames }, 'the database refused a batch; splitting it');
    // Devices adopted in this batch are in the registry's cache by now, so the frames built
    // again do not adopt them again: they are written first, on their own.
    if (batch.rows.newDevices.length > 0) {
      const devices = new BatchRows();
      devices.newDevices.push(...batch.rows.newDevices);
      const err = await this.write(batch, devices);
      if (err) this.log.error({ err: err.message }, 'the database refused adopted devices; their frames are kept');
    }
    const parts = [indices(batch.received.count)];
    for (let part = parts.pop(); part; part = parts.pop()) {
      const rebuilt = await this.rebuild(batch, part);
      const err = await this.write(batch, rebuilt.rows);
      if (!err) this.committed(rebuilt.rows, rebuilt.published);
      else if (part.length > 1) parts.push(part.slice(part.length >> 1), part.slice(0, part.length >> 1));
      else await this.refuse(batch, part[0] as number, err);
    }
    this.failing.delete(batch);
    this.metrics.writersFailing.set(this.failing.size);
  }

  /** A new batch of the frames of `batch` at `part`, processed again as they were received. */
  private async rebuild(batch: Batch, part: readonly number[]): Promise<Batch> {
    const rebuilt = new Batch();
    if (batch.published) rebuilt.publish();
    // The device state took these frames the first time.
    const scratch = new DeviceState();
    for (const i of part) {
      const { topic, payload } = batch.received.frame(i);
      for (let delay = 100; ; delay = Math.min(delay * 2, MAX_RETRY_DELAY_MS)) {
        try {
          await processFrame(topic, payload, this.registry, () => rebuilt, scratch, this.limits);
          break;
        } catch (err) {
          if (!(err instanceof LookupUnavailable)) throw err;
          await new Promise((resolve) => setTimeout(resolve, delay));
        }
      }
    }
    return rebuilt;
  }

  /** One frame the database refuses alone: stored as a dead letter with the database's message. */
  private async refuse(batch: Batch, i: number, err: Error): Promise<void> {
    const letter = new Batch();
    const frame = { ...batch.received.frame(i), devEui: null };
    addDeadLetter(new FrameError('refused_by_database', err.message), frame, letter, this.limits.deadLetterBytes);
    this.metrics.failed.inc({ reason: 'refused_by_database' });
    this.log.warn({ err: err.message, topic: frame.topic }, 'the database refused a frame; dead-lettered');
    const again = await this.write(batch, letter.rows);
    if (again)
      this.log.error({ err: again.message, topic: frame.topic }, 'the database refused a dead letter; dropped');
    else this.committed(letter.rows, undefined);
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

/** 0, 1, ... n-1. */
function indices(n: number): number[] {
  return Array.from({ length: n }, (_, i) => i);
}
