import { describe, expect, it } from 'vitest';
import { loadVectorFile, VECTOR_FILES, vectorFileNames } from '../../test/vectors.ts';
import type { Codec, DownlinkCommand, EncodeResult } from '../contract/codec.ts';
import { CODECS, findCodec } from './index.ts';

/** README: float results come from float arithmetic; 1e-5 relative suffices for every file. */
const RELATIVE_TOLERANCE = 1e-5;

/** Differences between expected and actual, one line each; `subset` allows extra keys in actual. */
function differences(expected: unknown, actual: unknown, mode: 'exact' | 'subset', path = 'data'): string[] {
  if (typeof expected === 'number' && typeof actual === 'number') {
    const ok = expected === actual || Math.abs(actual - expected) <= RELATIVE_TOLERANCE * Math.abs(expected);
    return ok ? [] : [`${path}: expected ${expected}, got ${actual}`];
  }
  if (Array.isArray(expected)) {
    if (!Array.isArray(actual) || actual.length !== expected.length) {
      return [`${path}: expected ${JSON.stringify(expected)}, got ${JSON.stringify(actual)}`];
    }
    return expected.flatMap((e, i) => differences(e, actual[i], mode, `${path}[${i}]`));
  }
  if (typeof expected === 'object' && expected !== null) {
    if (typeof actual !== 'object' || actual === null || Array.isArray(actual)) {
      return [`${path}: expected an object, got ${JSON.stringify(actual)}`];
    }
    const got = actual as Record<string, unknown>;
    const extra = mode === 'exact' ? Object.keys(got).filter((k) => !Object.hasOwn(expected, k)) : [];
    return [
      ...extra.map((k) => `${path}.${k}: not expected, got ${JSON.stringify(got[k])}`),
      ...Object.entries(expected).flatMap(([k, e]) =>
        Object.hasOwn(got, k) ? differences(e, got[k], mode, `${path}.${k}`) : [`${path}.${k}: missing`],
      ),
    ];
  }
  return Object.is(expected, actual)
    ? []
    : [`${path}: expected ${JSON.stringify(expected)}, got ${JSON.stringify(actual)}`];
}

function checkUplink(
  codec: Codec,
  input: { fPort: number; bytes: readonly number[] },
  output: { data?: unknown; errors?: string[]; warnings?: string[] },
  mode: 'exact' | 'subset',
): void {
  const result = codec.decodeUplink({ fPort: input.fPort, bytes: Uint8Array.from(input.bytes) });
  if (output.data === undefined) {
    expect(result).toHaveProperty('errors');
    const errors = 'errors' in result ? result.errors : [];
    // Vendors' wording is the oracle; ours may add detail after it (e.g. the port number).
    for (const expected of output.errors ?? []) expect(errors.some((e) => e.startsWith(expected))).toBe(true);
    return;
  }
  if ('errors' in result) throw new Error(`expected data, got errors: ${result.errors.join('; ')}`);
  expect(differences(output.data, result.data, mode)).toEqual([]);
  if (output.warnings) expect(result.warnings).toEqual(output.warnings);
}

function checkDownlink(result: EncodeResult, output: { fPort?: number; bytes?: readonly number[]; errors?: string[] }) {
  if (output.bytes === undefined) {
    expect(result).toEqual({ errors: output.errors });
    return;
  }
  if ('errors' in result) throw new Error(`expected bytes, got errors: ${result.errors.join('; ')}`);
  expect(Array.from(result.bytes)).toEqual(output.bytes);
  if (output.fPort !== undefined) expect(result.fPort).toBe(output.fPort);
}

/** Vendor encoder input (TTN `downlinkEncoder` data) -> the city's command. */
function commandFrom(data: Record<string, unknown>): DownlinkCommand {
  if (typeof data.report_interval === 'number') return { type: 'report_interval', seconds: data.report_interval };
  throw new Error(`no command mapping for ${JSON.stringify(data)}`);
}

describe('vector files', () => {
  it('every file in vectors/devices is mapped to a registered model, and every mapping has its file', () => {
    const files = vectorFileNames();
    expect(files.filter((f) => !(f in VECTOR_FILES))).toEqual([]);
    expect(Object.keys(VECTOR_FILES).filter((f) => !files.includes(f))).toEqual([]);
    for (const { model } of Object.values(VECTOR_FILES)) expect(findCodec(model), model).toBeDefined();
  });
});

for (const [file, { model, compare }] of Object.entries(VECTOR_FILES)) {
  describe(`${file} -> ${model}`, () => {
    const vectors = loadVectorFile(file);
    const codec = findCodec(model);
    if (!codec) throw new Error(`${model} is not registered`);

    it.each(vectors.uplinkDecoder.examples.map((e) => [e.description, e] as const))('uplink: %s', (_, example) => {
      checkUplink(codec, example.input, example.output, compare);
    });

    const downlinks = vectors.downlinkEncoder?.examples ?? [];
    if (downlinks.length > 0) {
      it.each(downlinks.map((e) => [e.description, e] as const))('downlink: %s', (_, example) => {
        const encode = codec.encodeDownlink;
        if (!encode) throw new Error(`${model} has no downlink encoder`);
        checkDownlink(encode(commandFrom(example.input.data)), example.output);
      });
    }
  });
}

describe.each(CODECS.filter((c) => c.examples || c.downlinkExamples).map((c) => [c.model, c] as const))(
  'model examples: %s',
  (_, codec) => {
    const uplinks = codec.examples ?? [];
    if (uplinks.length > 0) {
      it.each(uplinks.map((e) => [e.description, e] as const))('uplink: %s', (_, example) => {
        checkUplink(codec, example.input, example.output, 'exact');
      });
    }
    const downlinks = codec.downlinkExamples ?? [];
    if (downlinks.length > 0) {
      it.each(downlinks.map((e) => [e.description, e] as const))('downlink: %s', (_, example) => {
        const encode = codec.encodeDownlink;
        if (!encode) throw new Error(`${codec.model} has no downlink encoder`);
        checkDownlink(encode(example.command), example.output);
      });
    }
  },
);
