import { ENCODERS, makeFleet, OUTPUTS, Random, uplink } from '@city/firmware-sim';
import { findCodec } from '@city/ingest';
import { type BenchResult, rate } from './report.ts';

const PER_MODEL = Number(process.env.BENCH_DECODES ?? 20_000);

/**
 * Codec speed on one core: decodeUplink + toMetrics per model, and for a fleet mix, against
 * `JSON.parse` of the ChirpStack event that carried each payload (the work every uplink costs
 * anyway) measured in the same run on the same messages.
 */
export async function benchCodecs(): Promise<BenchResult> {
  const lines: string[] = [];
  const rng = new Random(11);
  for (const encoder of ENCODERS) {
    const codec = findCodec(encoder.model);
    if (!codec) throw new Error(`no codec for ${encoder.model}`);
    const payloads = Array.from({ length: 1000 }, () => encoder.encode(encoder.randomValues(rng)));
    const perS = timeIt(PER_MODEL, (i) => {
      const bytes = payloads[i % payloads.length] as Uint8Array;
      const result = codec.decodeUplink({ fPort: encoder.fPort, bytes });
      if ('data' in result) codec.toMetrics(result.data, {});
    });
    lines.push(`${encoder.model.padEnd(36)} ${rate(perS).padStart(12)} decodes/s`);
  }

  const start = Date.now();
  const fleet = makeFleet({ count: 5000, applicationId: 'bench', seed: 11, start });
  const output = OUTPUTS.chirpstack({ marshaler: 'json' });
  const events = fleet.flatMap((device) => output.messages({ type: 'up', device, uplink: uplink(device, start) }));
  const parsed = events.map((e) => JSON.parse(Buffer.from(e.payload).toString()) as { fPort: number; data: string });
  const inputs = parsed.map((p, i) => ({
    codec: findCodec((fleet[i] as (typeof fleet)[number]).model),
    fPort: p.fPort,
    bytes: Buffer.from(p.data, 'base64'),
  }));
  const mix = timeIt(PER_MODEL * 5, (i) => {
    const input = inputs[i % inputs.length] as (typeof inputs)[number];
    const result = input.codec?.decodeUplink(input);
    if (result && 'data' in result) input.codec?.toMetrics(result.data, {});
  });
  const jsonParse = timeIt(PER_MODEL * 5, (i) => {
    JSON.parse(Buffer.from((events[i % events.length] as (typeof events)[number]).payload).toString());
  });
  lines.push(
    `demo city fleet mix (${fleet.length} devices, all models)  ${rate(mix)} decodes/s`,
    `baseline JSON.parse of the same ChirpStack events (~${Math.round(events.reduce((s, e) => s + e.payload.length, 0) / events.length)} B) ${rate(jsonParse)}/s`,
    `ratio decode/JSON.parse ${(mix / jsonParse).toFixed(2)} (above 1: decoding costs less than reading the event)`,
  );
  return { name: 'codecs', command: 'pnpm bench codecs   (BENCH_DECODES to change)', lines };
}

/** Runs `fn` n times after a warm-up and returns calls per second. */
function timeIt(n: number, fn: (i: number) => void): number {
  for (let i = 0; i < Math.min(n, 2000); i++) fn(i);
  const started = performance.now();
  for (let i = 0; i < n; i++) fn(i);
  return n / ((performance.now() - started) / 1000);
}
