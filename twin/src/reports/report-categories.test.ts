import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ReportCategories } from './report-categories.ts';

describe('report categories (reference-data/report-categories.json)', () => {
  const categories = ReportCategories.load();

  it('hold API.md’s vocabulary, each with labels, an SLA and a merge window', () => {
    expect(categories.list.map((c) => c.id)).toEqual([
      'open_manhole',
      'broken_wire',
      'light_out',
      'bin_overflow',
      'fallen_tree',
      'leak',
      'other',
    ]);
    for (const c of categories.list) {
      expect(c.uk.length).toBeGreaterThan(0);
      expect(c.en.length).toBeGreaterThan(0);
      expect(c.slaHours).toBeGreaterThan(0);
      expect(c.mergeHours).toBeGreaterThan(0);
    }
  });

  it('name utilities that reference-data/utilities.json defines', () => {
    const file = new URL('../../reference-data/utilities.json', import.meta.url);
    const utilities = new Set(
      (JSON.parse(readFileSync(file, 'utf8')) as { utilities: { id: string }[] }).utilities.map((u) => u.id),
    );
    for (const c of categories.list) if (c.utility !== null) expect(utilities).toContain(c.utility);
  });

  it('refuse a file with a duplicate id or a bad field', () => {
    const first = categories.list[0];
    if (!first) throw new Error('no categories');
    expect(() => new ReportCategories([first, first])).toThrow(/twice/);
    const bad = join(mkdtempSync(join(tmpdir(), 'categories-')), 'bad.json');
    writeFileSync(bad, JSON.stringify({ categories: [{ ...first, slaHours: 0 }] }));
    expect(() => ReportCategories.load(pathToFileURL(bad))).toThrow(/slaHours must be > 0/);
  });
});
