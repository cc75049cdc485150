/**
 * PostgreSQL array literals built directly. node-postgres turns a JS array parameter into a
 * literal element by element through a generic escaper; for the tens of thousands of elements
 * of one batch, joining known-safe values ourselves costs a fraction of that.
 */

/** Numbers (and nulls) as `{1,2.5,NULL}`. */
export function numberArray(values: readonly (number | null)[]): string {
  let out = '{';
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    out += (i > 0 ? ',' : '') + (v === null || v === undefined ? 'NULL' : String(v));
  }
  return `${out}}`;
}

/** Any strings (and nulls), each double-quoted with `"` and `\` escaped. */
export function textArray(values: readonly (string | null)[]): string {
  let out = '{';
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    out += i > 0 ? ',' : '';
    out += v === null || v === undefined ? 'NULL' : `"${v.replace(/["\\]/g, '\\$&')}"`;
  }
  return `${out}}`;
}
