import { ByteReader, PayloadError } from './byte-reader.ts';

/**
 * Reads one record of a `[type][value]` payload into `out`, or returns why it cannot: a type it
 * does not know, whose value length is therefore unknown.
 */
export type RecordStep = (r: ByteReader, out: Record<string, unknown>) => string | undefined;

/**
 * Walks a payload of self-typed records. An unknown record ends the walk, since nothing after
 * it can be framed: what came before is kept with a warning (a firmware that added a channel
 * still reports the rest), but a payload whose first record is unknown is an error.
 */
export function walkRecords(bytes: Uint8Array, warnings: string[], step: RecordStep): Record<string, unknown> {
  if (bytes.length === 0) throw new PayloadError('empty payload');
  const r = new ByteReader(bytes);
  const out: Record<string, unknown> = {};
  while (r.remaining > 0) {
    const at = r.position;
    const unknown = step(r, out);
    if (unknown === undefined) continue;
    if (at === 0) throw new PayloadError(unknown);
    warnings.push(`${unknown}; ${bytes.length - at} byte(s) from offset ${at} not decoded`);
    break;
  }
  return out;
}
