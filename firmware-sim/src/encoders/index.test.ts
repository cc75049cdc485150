import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ENCODERS, type Encoder, findEncoder } from './index.ts';

const here = new URL('./', import.meta.url);

function isEncoder(value: unknown): value is Encoder {
  return typeof value === 'object' && value !== null && 'model' in value && 'encode' in value;
}

/** Every encoder exported from `<vendor>/<file>.ts`, with the id its location implies. */
async function encodersOnDisk(): Promise<{ id: string; encoder: Encoder }[]> {
  const found: { id: string; encoder: Encoder }[] = [];
  for (const vendor of readdirSync(here, { withFileTypes: true }).filter((entry) => entry.isDirectory())) {
    for (const file of readdirSync(new URL(`${vendor.name}/`, here))) {
      if (!file.endsWith('.ts') || file.endsWith('.test.ts')) continue;
      const module: Record<string, unknown> = await import(new URL(`${vendor.name}/${file}`, here).href);
      for (const value of Object.values(module)) {
        if (isEncoder(value)) found.push({ id: `${vendor.name}/${file.slice(0, -3)}`, encoder: value });
      }
    }
  }
  return found;
}

describe('encoder registry', () => {
  it('has each model id once', () => {
    const ids = ENCODERS.map((encoder) => encoder.model);
    expect(ids.filter((id, i) => ids.indexOf(id) !== i)).toEqual([]);
  });

  it('registers every model file, and each lives at encoders/<model id>.ts', async () => {
    const onDisk = await encodersOnDisk();
    for (const { id, encoder } of onDisk) {
      expect(encoder.model, `file ${id}.ts`).toBe(id);
      expect(findEncoder(id), `${id} is not in ENCODERS`).toBe(encoder);
    }
    expect(onDisk.map(({ id }) => id).sort()).toEqual(ENCODERS.map((encoder) => encoder.model).sort());
  });
});
