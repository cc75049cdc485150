import { ENCODERS, Random, seedFrom } from '@city/firmware-sim';
import { type DecodeResult, findCodec } from '@city/ingest';
import { describe, expect, it } from 'vitest';

/**
 * Where the two independent implementations meet: what the simulated firmware sends, ingest's
 * decoder must read back as the same values. The decoder may add fields it derives (an echoed
 * hex payload, totals, labels), so every encoded value must appear in the decoded data, not
 * the other way round.
 */

const CASES_PER_MODEL = 500;
const RELATIVE_TOLERANCE = 1e-5;

/** Path of the first place `actual` lacks or differs from `expected`, or undefined if it contains it. */
function mismatch(expected: unknown, actual: unknown, path = 'data'): string | undefined {
  if (typeof expected === 'number' && typeof actual === 'number') {
    const scale = Math.max(Math.abs(expected), Math.abs(actual));
    return Math.abs(expected - actual) <= RELATIVE_TOLERANCE * scale ? undefined : path;
  }
  if (Array.isArray(expected)) {
    if (!Array.isArray(actual) || actual.length !== expected.length) return path;
    return expected.map((item, i) => mismatch(item, actual[i], `${path}[${i}]`)).find((p) => p !== undefined);
  }
  if (typeof expected === 'object' && expected !== null) {
    if (typeof actual !== 'object' || actual === null) return path;
    return Object.entries(expected)
      .map(([key, value]) => mismatch(value, (actual as Record<string, unknown>)[key], `${path}.${key}`))
      .find((p) => p !== undefined);
  }
  return Object.is(expected, actual) ? undefined : path;
}

const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex');

describe.each(ENCODERS)('$model', (encoder) => {
  it(`decodes ${CASES_PER_MODEL} random firmware uplinks back to the values sent`, () => {
    const codec = findCodec(encoder.model);
    if (!codec) expect.fail(`@city/ingest has no decoder registered for ${encoder.model}`);

    const seed = seedFrom(encoder.model);
    const rng = new Random(seed);
    for (let i = 0; i < CASES_PER_MODEL; i++) {
      const values = encoder.randomValues(rng);
      const bytes = encoder.encode(values);
      const result: DecodeResult<object> = codec.decodeUplink({ fPort: encoder.fPort, bytes });
      const context = `case ${i} (seed ${seed}), fPort ${encoder.fPort}, bytes ${hex(bytes)}\nsent ${JSON.stringify(values)}`;
      if ('errors' in result) expect.fail(`decoder errors ${JSON.stringify(result.errors)} for ${context}`);
      const at = mismatch(values, result.data);
      if (at !== undefined) expect.fail(`${at} differs for ${context}\ndecoded ${JSON.stringify(result.data)}`);
      // The codec contract: normalising never throws on data its decoder returned.
      expect(() => codec.toMetrics(result.data, { binDepthMm: 1500 }), context).not.toThrow();
    }
  });
});
