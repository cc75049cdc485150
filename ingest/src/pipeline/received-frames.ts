import { GrowableBuffer } from '../growable-buffer.ts';
import type { SpooledFrame } from '../spool/spool.ts';

/** Where ReceivedFrames finds a spooled frame again (the Spool). */
export interface SpoolReader {
  read(segment: number, offset: number): SpooledFrame;
}

/** `segments` entry of a frame held in `copies` rather than in the spool. */
const COPIED = -1;

/**
 * A batch's frames as they were received, kept so that a batch the database refuses can be
 * built again in parts (`Ingest.split`): the rare path. A frame the spool holds is kept as its
 * place there, two small integers: copying each frame into a buffer of the batch's own cost
 * ingest 10-15 % of its CPU per uplink in `pnpm bench ingest`, and holding the received
 * Uint8Arrays as much (an object per frame for the collector to promote and trace, and the
 * network chunk each payload is a view of). Frames the spool does not hold (no spool, or
 * replayed from an earlier run's) are copied, into a buffer outside the JavaScript heap that
 * the pipeline hands on from batch to batch (`clear`).
 */
export class ReceivedFrames {
  private readonly copies = new GrowableBuffer(16 * 1024);
  /** Per frame: its spool segment, or COPIED. Small integers, nothing for the collector to trace. */
  private readonly segments: number[] = [];
  /** Per frame: its offset in that segment, or in `copies`. */
  private readonly offsets: number[] = [];

  constructor(private readonly spool?: SpoolReader) {}

  get count(): number {
    return this.segments.length;
  }

  /** A frame the spool holds at `offset` of `segment`. */
  addSpooled(segment: number, offset: number): void {
    this.segments.push(segment);
    this.offsets.push(offset);
  }

  /** A frame the spool does not hold: copied. */
  addCopy(topic: string, payload: Uint8Array): void {
    const start = this.copies.length;
    this.segments.push(COPIED);
    this.offsets.push(start);
    this.copies.uint32(0);
    this.copies.setUint32(start, this.copies.text(topic));
    this.copies.uint32(payload.length);
    this.copies.bytes(payload);
  }

  /** Empties it for another batch; the copies' buffer, grown to a batch's size, stays. */
  clear(): void {
    this.copies.clear();
    this.segments.length = 0;
    this.offsets.length = 0;
  }

  /** Frame `i` as received; the payload is a copy of its own. */
  frame(i: number): SpooledFrame {
    const segment = this.segments[i];
    const offset = this.offsets[i] as number;
    if (segment === undefined) throw new RangeError(`no frame ${i} of ${this.count}`);
    if (segment !== COPIED) {
      if (!this.spool) throw new Error(`frame ${i} is spooled, and there is no spool to read it from`);
      const { topic, payload } = this.spool.read(segment, offset);
      return { topic, payload: new Uint8Array(payload) };
    }
    const view = this.copies.view;
    const topicEnd = offset + 4 + view.readUInt32LE(offset);
    const payloadStart = topicEnd + 4;
    return {
      topic: view.toString('utf8', offset + 4, topicEnd),
      payload: new Uint8Array(view.subarray(payloadStart, payloadStart + view.readUInt32LE(topicEnd))),
    };
  }
}
