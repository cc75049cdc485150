import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { type Codec, DEVICE_CLASSES } from '../contract/codec.ts';
import { isMetricName } from '../contract/metric-vocabulary.ts';
import { CODECS } from './index.ts';

const CODECS_DIR = fileURLToPath(new URL('./', import.meta.url));
const FORMATS_MD = fileURLToPath(new URL('../../../vectors/FORMATS.md', import.meta.url));

function isCodec(value: unknown): value is Codec {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  return typeof v.model === 'string' && typeof v.decodeUplink === 'function' && typeof v.toMetrics === 'function';
}

/** Every Codec exported from `codecs/<vendor>/*.ts`, with the file it came from. */
async function exportedCodecs(): Promise<Array<{ file: string; codec: Codec }>> {
  const found: Array<{ file: string; codec: Codec }> = [];
  const vendors = readdirSync(CODECS_DIR, { withFileTypes: true }).filter((d) => d.isDirectory());
  for (const vendor of vendors) {
    const files = readdirSync(`${CODECS_DIR}${vendor.name}`).filter(
      (f) => f.endsWith('.ts') && !f.endsWith('.test.ts'),
    );
    for (const file of files) {
      const module: Record<string, unknown> = await import(`${CODECS_DIR}${vendor.name}/${file}`);
      for (const value of Object.values(module)) {
        if (isCodec(value)) found.push({ file: `${vendor.name}/${file}`, codec: value });
      }
    }
  }
  return found;
}

/**
 * Model ids FORMATS.md describes: `vendor/codec` ids in backticks on headings and bullets,
 * plus the bulleted models under a `vendor/*` heading (`- \`em310-udl\` ...` and
 * "`ws558` (...) and `ws52x`").
 */
function modelsInFormats(): string[] {
  const models = new Set<string>();
  let wildcardVendor: string | undefined;
  for (const line of readFileSync(FORMATS_MD, 'utf8').split('\n')) {
    if (line.startsWith('## ')) wildcardVendor = /`([a-z0-9-]+)\/\*`/.exec(line)?.[1];
    if (!line.startsWith('## ') && !line.startsWith('- ')) continue;
    for (const [, id] of line.matchAll(/`([a-z0-9-]+\/[a-z0-9-]+)`/g)) if (id) models.add(id);
    const bullet = /^- `([a-z0-9-]+)`(?: \([^)]*\) and `([a-z0-9-]+)`)?/.exec(line);
    if (wildcardVendor && bullet) {
      for (const name of bullet.slice(1)) if (name) models.add(`${wildcardVendor}/${name}`);
    }
  }
  return [...models].sort();
}

describe('codec registry', () => {
  it('registers every codec exported under codecs/<vendor>/, from the file its model id names', async () => {
    const exported = await exportedCodecs();
    expect(exported.length).toBeGreaterThan(0);
    for (const { file, codec } of exported) {
      expect(CODECS, `${codec.model} from ${file} is not in CODECS`).toContain(codec);
      expect(file).toBe(`${codec.model}.ts`);
    }
    expect(exported.map((e) => e.codec.model).sort()).toEqual(CODECS.map((c) => c.model).sort());
  });

  it('has no repeated model id', () => {
    const models = CODECS.map((c) => c.model);
    expect(models.filter((m, i) => models.indexOf(m) !== i)).toEqual([]);
  });

  it.each(CODECS.map((c) => [c.model, c] as const))('%s: id, class and metrics follow the contract', (model, codec) => {
    expect(model).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*\/[a-z0-9]+(-[a-z0-9]+)*$/);
    expect(DEVICE_CLASSES).toContain(codec.class);
    expect(codec.metrics.length).toBeGreaterThan(0);
    expect(codec.metrics.filter((m) => !isMetricName(m))).toEqual([]);
    expect(new Set(codec.metrics).size).toBe(codec.metrics.length);
  });

  it('registers every model FORMATS.md describes', () => {
    const described = modelsInFormats();
    expect(described).toHaveLength(21);
    expect(described.filter((m) => !CODECS.some((c) => c.model === m))).toEqual([]);
  });
});
