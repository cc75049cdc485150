/** A value of PostgreSQL's COPY text format: `\N` for null, backslash escapes for text. */
export type CopyValue = string | number | null;

const SPECIAL = /[\\\t\n\r]/g;
const ESCAPES: Record<string, string> = { '\\': '\\\\', '\t': '\\t', '\n': '\\n', '\r': '\\r' };

function field(v: CopyValue): string {
  if (v === null) return '\\N';
  if (typeof v === 'number') return String(v);
  return v.replace(SPECIAL, (c) => ESCAPES[c] as string);
}

/** Rows in COPY text format, built column-wise: `columns[c][r]` is row r's value in column c. */
export function copyText(columns: readonly (readonly CopyValue[])[]): string {
  const rows = columns[0]?.length ?? 0;
  const lines: string[] = new Array(rows);
  for (let r = 0; r < rows; r++) {
    let line = '';
    for (let c = 0; c < columns.length; c++)
      line += (c > 0 ? '\t' : '') + field((columns[c] as readonly CopyValue[])[r] ?? null);
    lines[r] = line;
  }
  return rows > 0 ? `${lines.join('\n')}\n` : '';
}
