/** A field of PostgreSQL's COPY text format: `\N` for null, backslash escapes for text. */
export function copyField(v: string | number | null): string {
  if (v === null) return '\\N';
  if (typeof v === 'number') return String(v);
  return SPECIAL.test(v) ? v.replace(SPECIAL_ALL, (c) => ESCAPES[c] as string) : v;
}

const SPECIAL = /[\\\t\n\r]/;
const SPECIAL_ALL = /[\\\t\n\r]/g;
const ESCAPES: Record<string, string> = { '\\': '\\\\', '\t': '\\t', '\n': '\\n', '\r': '\\r' };

const INITIAL_BYTES = 64 * 1024;

/**
 * Rows of one table in COPY text format, appended frame by frame into memory outside the
 * JavaScript heap. A batch's rows live for hundreds of milliseconds while writers are busy;
 * kept as JavaScript strings and arrays they outlived the young generation, and collecting
 * them cost the ingest thread more than building them did.
 */
export class CopyRows {
  /** Rows appended. */
  count = 0;
  private buffer = Buffer.allocUnsafe(INITIAL_BYTES);
  private length = 0;

  /** Appends `rows` formatted rows, each ending in `\n`. */
  append(text: string, rows: number): void {
    // A UTF-16 code unit takes at most three bytes of UTF-8.
    const room = this.length + text.length * 3;
    if (room > this.buffer.length) this.grow(room);
    this.length += this.buffer.write(text, this.length, 'utf8');
    this.count += rows;
  }

  /** The rows so far; a view, valid until the next append. */
  get bytes(): Buffer {
    return this.buffer.subarray(0, this.length);
  }

  private grow(atLeast: number): void {
    const bigger = Buffer.allocUnsafe(Math.max(atLeast, this.buffer.length * 2));
    this.buffer.copy(bigger, 0, 0, this.length);
    this.buffer = bigger;
  }
}
