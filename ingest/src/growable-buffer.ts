/**
 * Bytes appended into one buffer that doubles when full, outside the JavaScript heap: no
 * allocation per append, and nothing for the garbage collector to trace while it fills.
 */
export class GrowableBuffer {
  private buffer: Buffer;
  length = 0;

  constructor(initialBytes = 64 * 1024) {
    this.buffer = Buffer.allocUnsafe(initialBytes);
  }

  /** Appends `text` as UTF-8; returns the bytes written. */
  text(text: string): number {
    // A UTF-16 code unit takes at most three bytes of UTF-8.
    this.reserve(text.length * 3);
    const written = this.buffer.write(text, this.length, 'utf8');
    this.length += written;
    return written;
  }

  bytes(bytes: Uint8Array): void {
    this.reserve(bytes.length);
    this.buffer.set(bytes, this.length);
    this.length += bytes.length;
  }

  uint32(value: number): void {
    this.reserve(4);
    this.length = this.buffer.writeUInt32LE(value, this.length);
  }

  /** Overwrites four bytes written before, at `offset`. */
  setUint32(offset: number, value: number): void {
    this.buffer.writeUInt32LE(value, offset);
  }

  /** What was appended; a view, valid until the next append. */
  get view(): Buffer {
    return this.buffer.subarray(0, this.length);
  }

  clear(): void {
    this.length = 0;
  }

  private reserve(bytes: number): void {
    if (this.length + bytes <= this.buffer.length) return;
    const bigger = Buffer.allocUnsafe(Math.max(this.length + bytes, this.buffer.length * 2));
    this.buffer.copy(bigger, 0, 0, this.length);
    this.buffer = bigger;
  }
}
