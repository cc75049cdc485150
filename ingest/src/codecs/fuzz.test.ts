import { describe, expect, it } from 'vitest';
import { loadVectorFile, VECTOR_FILES } from '../../test/vectors.ts';
import type { Codec } from '../contract/codec.ts';
import { hex } from './byte-reader.ts';
import { CODECS } from './index.ts';

const RUNS_PER_MODEL = 5000;
const MAX_LENGTH = 64;
/** Ports the registered models use, so random payloads get past the port checks. */
const COMMON_PORTS = [1, 2, 8, 85, 100];

/** mulberry32: small, seedable, good enough to spread inputs; failures print their input. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function seedOf(text: string): number {
  let h = 2166136261;
  for (const ch of text) h = Math.imul(h ^ ch.charCodeAt(0), 16777619);
  return h >>> 0;
}

/** Known-good payloads of a model: mutating them reaches deeper than random bytes do. */
function seedPayloads(codec: Codec): Uint8Array[] {
  const fromVectors = Object.entries(VECTOR_FILES)
    .filter(([, v]) => v.model === codec.model)
    .flatMap(([file]) => loadVectorFile(file).uplinkDecoder.examples.map((e) => e.input.bytes));
  const fromModel = (codec.examples ?? []).map((e) => e.input.bytes);
  return [...fromVectors, ...fromModel].map((bytes) => Uint8Array.from(bytes));
}

function randomPayload(rand: () => number, seeds: readonly Uint8Array[]): Uint8Array {
  const byte = () => Math.floor(rand() * 256);
  const seed = seeds[Math.floor(rand() * seeds.length)];
  if (!seed || rand() < 0.5) return Uint8Array.from({ length: Math.floor(rand() * (MAX_LENGTH + 1)) }, byte);
  const bytes = Array.from(seed);
  for (let edits = 1 + Math.floor(rand() * 3); edits > 0; edits--) {
    const at = Math.floor(rand() * (bytes.length + 1));
    const op = rand();
    if (op < 0.5 && bytes.length > 0) bytes[Math.min(at, bytes.length - 1)] = byte();
    else if (op < 0.7) bytes.length = at;
    else if (op < 0.85) bytes.splice(at, 0, byte());
    else bytes.push(...Array.from({ length: Math.floor(rand() * 8) }, byte));
  }
  return Uint8Array.from(bytes.slice(0, MAX_LENGTH));
}

type Decoded = ReturnType<Codec['decodeUplink']>;

function decodeOrThrown(codec: Codec, fPort: number, bytes: Uint8Array): Decoded | string {
  try {
    return codec.decodeUplink({ fPort, bytes });
  } catch (err) {
    return `decodeUplink threw ${String(err)}`;
  }
}

/** Why a decode result breaks the contract, or undefined when it keeps it. */
function contractBreach(codec: Codec, result: Decoded): string | undefined {
  if ('errors' in result) {
    const ok = result.errors.length > 0 && result.errors.every((e) => typeof e === 'string' && e.length > 0);
    return ok && !('data' in result) ? undefined : `malformed errors ${JSON.stringify(result)}`;
  }
  if (typeof result.data !== 'object' || result.data === null || !Array.isArray(result.warnings)) {
    return `malformed result ${String(result)}`;
  }
  try {
    JSON.stringify(result.data);
  } catch (err) {
    return `data does not serialise: ${String(err)}`;
  }
  for (const ctx of [{}, { binDepthMm: 800 }]) {
    let metrics: ReturnType<Codec['toMetrics']>;
    try {
      metrics = codec.toMetrics(result.data, ctx);
    } catch (err) {
      return `toMetrics threw ${String(err)} on ${JSON.stringify(result.data)}`;
    }
    for (const { metric, value } of metrics) {
      if (typeof value !== 'number' || !Number.isFinite(value)) return `metric ${metric} is ${value}`;
      if (!codec.metrics.includes(metric))
        return `metric ${metric} is not among the declared ${codec.metrics.join(', ')}`;
    }
  }
  return undefined;
}

describe.each(CODECS.map((c) => [c.model, c] as const))('fuzz %s', (model, codec) => {
  it(`keeps the decode contract on ${RUNS_PER_MODEL} random and mutated payloads`, () => {
    const rand = prng(seedOf(model));
    const seeds = seedPayloads(codec);
    const ports = [...(codec.fPorts ?? []), ...COMMON_PORTS];
    let decoded = 0;
    for (let i = 0; i < RUNS_PER_MODEL; i++) {
      const bytes = randomPayload(rand, seeds);
      const fPort = rand() < 0.8 ? (ports[Math.floor(rand() * ports.length)] ?? 1) : 1 + Math.floor(rand() * 223);
      const result = decodeOrThrown(codec, fPort, bytes);
      const breach = typeof result === 'string' ? result : contractBreach(codec, result);
      if (breach) expect.fail(`run ${i}, fPort ${fPort}, bytes ${hex(bytes)}: ${breach}`);
      if (typeof result !== 'string' && 'data' in result) decoded++;
    }
    // The mutated seeds must reach the data paths, or the run proves little beyond the error paths.
    if (seeds.length > 0) expect(decoded).toBeGreaterThan(RUNS_PER_MODEL / 100);
  }, 30_000);
});
