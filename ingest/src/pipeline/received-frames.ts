import { GrowableBuffer } from '../growable-buffer.ts';

/**
 * A batch's frames as they were received, kept so that a batch the database refuses can be
 * built again in parts (`Ingest.split`). Copied into one buffer outside the JavaScript heap
 * (topic length, topic, payload length, payload): holding the received Uint8Arrays instead kept
 * an object per frame alive until the commit, for the garbage collector to promote and trace,
 * and with it the network chunk each payload is a view of. That cost ingest 10-15 % of its CPU
 * per uplink in `pnpm bench ingest`. A new buffer per batch cost as much (allocated and grown
 * outside the heap, five times a second), so the pipeline hands each committed batch's frames
 * on to a new batch (`clear`), and the copy costs a memcpy.
 */
export class ReceivedFrames {
  private readonly bytes = new GrowableBuffer(16 * 1024);
  /** Where each frame starts in `bytes`: small integers, nothing for the collector to trace. */
  private readonly starts: number[] = [];

  get count(): number {
    return this.starts.length;
  }

  add(topic: string, payload: Uint8Array): void {
    const start = this.bytes.length;
    this.starts.push(start);
    this.bytes.uint32(0);
    this.bytes.setUint32(start, this.bytes.text(topic));
    this.bytes.uint32(payload.length);
    this.bytes.bytes(payload);
  }

  /** Empties it for another batch; the buffer, grown to a batch's size, stays. */
  clear(): void {
    this.bytes.clear();
    this.starts.length = 0;
  }

  /** Frame `i` as received; the payload is a copy of its own. */
  frame(i: number): { topic: string; payload: Uint8Array } {
    const view = this.bytes.view;
    const start = this.starts[i];
    if (start === undefined) throw new RangeError(`no frame ${i} of ${this.count}`);
    const topicEnd = start + 4 + view.readUInt32LE(start);
    const payloadStart = topicEnd + 4;
    return {
      topic: view.toString('utf8', start + 4, topicEnd),
      payload: new Uint8Array(view.subarray(payloadStart, payloadStart + view.readUInt32LE(topicEnd))),
    };
  }
}
