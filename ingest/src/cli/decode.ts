import { pathToFileURL } from 'node:url';
import { CODECS, findCodec } from '../codecs/index.ts';

const USAGE =
  'usage: pnpm decode <model> <fPort> <hex payload>   e.g. pnpm decode milesight-iot/em310-udl 85 01755c03824408';

export interface Io {
  out: (text: string) => void;
  err: (text: string) => void;
}

/**
 * Decodes one payload the way ingest does and prints `{data, warnings, metrics}` as JSON.
 * Returns the exit code: 1 for a payload the codec rejects or arguments that are wrong.
 */
export function run(args: readonly string[], io: Io): number {
  const [model, port, ...hexParts] = args;
  if (model === undefined || port === undefined || hexParts.length === 0) {
    io.err(USAGE);
    return 1;
  }
  const codec = findCodec(model);
  if (!codec) {
    io.err(`unknown model "${model}"; known models:\n${CODECS.map((c) => `  ${c.model}`).join('\n')}`);
    return 1;
  }
  const fPort = Number(port);
  if (!Number.isInteger(fPort) || fPort < 0 || fPort > 255) {
    io.err(`fPort must be an integer 0-255, got "${port}"`);
    return 1;
  }
  // Accepts "01 75 5c", "0x01755c" and "01755C" alike.
  const hex = hexParts.join('').replace(/^0x/i, '').replace(/[\s:]/g, '');
  if (!/^([0-9a-f]{2})*$/i.test(hex)) {
    io.err(`payload must be hex bytes, got "${hexParts.join(' ')}"`);
    return 1;
  }
  const bytes = Uint8Array.from(hex.match(/../g) ?? [], (b) => Number.parseInt(b, 16));
  const result = codec.decodeUplink({ fPort, bytes });
  if ('errors' in result) {
    io.out(JSON.stringify({ errors: result.errors }, null, 2));
    return 1;
  }
  const metrics = codec.toMetrics(result.data, {});
  io.out(JSON.stringify({ data: result.data, warnings: result.warnings, metrics }, null, 2));
  return 0;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  process.exitCode = run(process.argv.slice(2), {
    out: (text) => console.log(text),
    err: (text) => console.error(text),
  });
}
