/**
 * SQL that renders a timestamptz as the API writes instants: ISO 8601 in UTC with milliseconds
 * (`2026-11-30T04:13:47.123Z`). Rows the API answers with come out of the database as text, so
 * they match the contract's types and skip a round trip through JavaScript Dates.
 */
export function isoTime(column: string): string {
  return `to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;
}
