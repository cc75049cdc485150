import { GrowableBuffer } from '../growable-buffer.ts';

/** A field of PostgreSQL's COPY text format: `\N` for null, backslash escapes for text. */
export function copyField(v: string | number | null): string {
  if (v === null) return '\\N';
  if (typeof v === 'number') return String(v);
  return SPECIAL.test(v) ? v.replace(SPECIAL_ALL, (c) => ESCAPES[c] as string) : v;
}

const SPECIAL = /[\\\t\n\r]/;
const SPECIAL_ALL = /[\\\t\n\r]/g;
const ESCAPES: Record<string, string> = { '\\': '\\\\', '\t': '\\t', '\n': '\\n', '\r': '\\r' };

/**
 * Rows of one table in COPY text format, appended frame by frame into memory outside the
 * JavaScript heap. A batch's rows live for hundreds of milliseconds while writers are busy;
 * kept as JavaScript strings and arrays they outlived the young generation, and collecting
 * them cost the ingest thread more than building them did.
 */
export class CopyRows {
  /** Rows appended. */
  count = 0;
  private readonly buffer = new GrowableBuffer();

  /** Appends `rows` formatted rows, each ending in `\n`. */
  append(text: string, rows: number): void {
    this.buffer.text(text);
    this.count += rows;
  }

  /** The rows so far; a view, valid until the next append. */
  get bytes(): Buffer {
    return this.buffer.view;
  }
}
