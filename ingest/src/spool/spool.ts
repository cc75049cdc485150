import {
  closeSync,
  fdatasync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  readSync,
  rmSync,
  writeSync,
} from 'node:fs';
import { join } from 'node:path';
import { GrowableBuffer } from '../growable-buffer.ts';

export interface SpooledFrame {
  topic: string;
  payload: Uint8Array;
}

/** Frames per spool segment still waiting for their database commit. */
export type SpoolRefs = Map<number, number>;

const HEADER_BYTES = 8;

/**
 * A write-ahead spool of received frames. Ingest acknowledges a frame to the broker only after
 * the frame is written here, and deletes a segment once every frame in it is committed to the
 * database; at start-up, segments left by a crashed process are replayed (writes are idempotent,
 * so frames already committed are no-ops). This is what makes "at least once" hold when the
 * ingest process itself dies, not only when the database or broker does.
 *
 * Records are `[u32 topic length][u32 payload length][topic][payload]`. Records accepted within
 * one event-loop turn are written with one `write` (group commit); a write reaches the kernel,
 * so it survives the process; `fdatasync` every `syncMs` covers the machine.
 */
export class Spool {
  private fd: number | undefined;
  private segment = 0;
  private segmentBytes = 0;
  /** Byte offset in its segment of the frame appended last (see `read`). */
  lastOffset = 0;
  /** Records appended since the last flush. */
  private readonly pending = new GrowableBuffer();
  private readonly outstanding = new Map<number, number>();
  private readonly closed = new Set<number>();
  private syncTimer: NodeJS.Timeout | undefined;

  constructor(
    private readonly dir: string,
    private readonly syncMs = 1000,
    private readonly maxSegmentBytes = 16 * 1024 * 1024,
  ) {}

  /** Opens the spool and returns the frames a previous process left uncommitted, oldest first. */
  recover(): { frames: SpooledFrame[]; refs: SpoolRefs } {
    mkdirSync(this.dir, { recursive: true });
    const segments = readdirSync(this.dir)
      .map((f) => /^(\d+)\.spool$/.exec(f)?.[1])
      .filter((n): n is string => n !== undefined)
      .map(Number)
      .sort((a, b) => a - b);
    const frames: SpooledFrame[] = [];
    const refs: SpoolRefs = new Map();
    for (const n of segments) {
      const found = readSegment(readFileSync(this.file(n)));
      frames.push(...found);
      if (found.length > 0) {
        refs.set(n, found.length);
        this.outstanding.set(n, found.length);
        this.closed.add(n);
      } else {
        rmSync(this.file(n), { force: true });
      }
    }
    this.segment = (segments.at(-1) ?? 0) + 1;
    this.openSegment();
    if (this.syncMs > 0) {
      this.syncTimer = setInterval(() => this.sync(), this.syncMs);
      this.syncTimer.unref();
    }
    return { frames, refs };
  }

  /** Queues a frame for the next flush; returns its segment, to release after commit. */
  append(topic: string, payload: Uint8Array): number {
    this.lastOffset = this.segmentBytes;
    const header = this.pending.length;
    this.pending.uint32(0);
    this.pending.uint32(payload.length);
    // The topic's length in bytes is known once it is written.
    const topicLength = this.pending.text(topic);
    this.pending.setUint32(header, topicLength);
    this.pending.bytes(payload);
    this.segmentBytes += HEADER_BYTES + topicLength + payload.length;
    const segment = this.segment;
    this.outstanding.set(segment, (this.outstanding.get(segment) ?? 0) + 1);
    if (this.segmentBytes >= this.maxSegmentBytes) this.rotate();
    return segment;
  }

  /** Writes every queued frame with one write. Call before the acknowledgements leave. */
  flush(): void {
    if (this.pending.length === 0 || this.fd === undefined) return;
    const data = this.pending.view;
    let written = 0;
    while (written < data.length) written += writeSync(this.fd, data, written);
    this.pending.clear();
  }

  /**
   * The frame appended at `offset` of `segment` (`append`'s segment and `lastOffset`), while the
   * frames of that segment wait for their commit. A copy: from the file, or from what the next
   * flush writes.
   */
  read(segment: number, offset: number): SpooledFrame {
    const flushed = this.segmentBytes - this.pending.length;
    if (segment === this.segment && offset >= flushed) {
      const [frame] = readSegment(Buffer.from(this.pending.view.subarray(offset - flushed)), 1);
      if (frame) return frame;
    } else {
      const fd = openSync(this.file(segment), 'r');
      try {
        const header = Buffer.alloc(HEADER_BYTES);
        readSync(fd, header, 0, HEADER_BYTES, offset);
        const record = Buffer.alloc(HEADER_BYTES + header.readUInt32LE(0) + header.readUInt32LE(4));
        readSync(fd, record, 0, record.length, offset);
        const [frame] = readSegment(record, 1);
        if (frame) return frame;
      } finally {
        closeSync(fd);
      }
    }
    throw new RangeError(`no frame at ${offset} of spool segment ${segment}`);
  }

  /** Frames of these segments are committed: delete segments nothing waits for any more. */
  release(refs: SpoolRefs): void {
    for (const [segment, frames] of refs) {
      const left = (this.outstanding.get(segment) ?? 0) - frames;
      if (left > 0) {
        this.outstanding.set(segment, left);
        continue;
      }
      this.outstanding.delete(segment);
      if (this.closed.delete(segment)) rmSync(this.file(segment), { force: true });
    }
  }

  close(): void {
    clearInterval(this.syncTimer);
    this.flush();
    if (this.fd !== undefined) closeSync(this.fd);
    this.fd = undefined;
    // Everything committed: nothing for a next run to replay.
    if (this.outstanding.size === 0) rmSync(this.dir, { recursive: true, force: true });
  }

  private rotate(): void {
    this.flush();
    if (this.fd !== undefined) closeSync(this.fd);
    const full = this.segment;
    if (this.outstanding.has(full)) this.closed.add(full);
    else rmSync(this.file(full), { force: true });
    this.segment++;
    this.openSegment();
  }

  private openSegment(): void {
    this.fd = openSync(this.file(this.segment), 'a');
    this.segmentBytes = 0;
  }

  private sync(): void {
    if (this.fd !== undefined) fdatasync(this.fd, () => {});
  }

  private file(segment: number): string {
    return join(this.dir, `${String(segment).padStart(10, '0')}.spool`);
  }
}

/**
 * Reads whole records, at most `max`; a torn last record (crash mid-write) was never acknowledged
 * and is dropped.
 */
function readSegment(data: Buffer, max = Number.POSITIVE_INFINITY): SpooledFrame[] {
  const frames: SpooledFrame[] = [];
  let at = 0;
  while (at + HEADER_BYTES <= data.length && frames.length < max) {
    const topicLength = data.readUInt32LE(at);
    const payloadLength = data.readUInt32LE(at + 4);
    const end = at + HEADER_BYTES + topicLength + payloadLength;
    if (end > data.length) break;
    const topicStart = at + HEADER_BYTES;
    frames.push({
      topic: data.toString('utf8', topicStart, topicStart + topicLength),
      payload: data.subarray(topicStart + topicLength, end),
    });
    at = end;
  }
  return frames;
}
