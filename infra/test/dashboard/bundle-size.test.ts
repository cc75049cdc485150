import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { ensureDashboardBuilt } from '../../src/dashboard-build.ts';

/** A chunk of Vite's build manifest (dist/.vite/manifest.json). */
interface ManifestChunk {
  file: string;
  isEntry?: boolean;
  imports?: string[];
  css?: string[];
}

/** Issue 11: an initial load under 1.5 MB gzip; the resident page is for slow phones, so far less. */
const LIMITS = { 'index.html': 1.5 * 2 ** 20, 'desk.html': 1.5 * 2 ** 20, 'r.html': 150 * 2 ** 10 };

/**
 * What a page loads before it can show anything: the HTML, its entry script with every chunk that
 * imports statically (dynamic imports come later), and their CSS, each gzipped as a server would.
 */
function initialLoad(dist: string, manifest: Record<string, ManifestChunk>, page: string) {
  const files = new Set<string>([page]);
  const visit = (key: string) => {
    const chunk = manifest[key];
    if (!chunk || files.has(chunk.file)) return;
    files.add(chunk.file);
    for (const css of chunk.css ?? []) files.add(css);
    for (const imported of chunk.imports ?? []) visit(imported);
  };
  visit(page);
  let raw = 0;
  let gzip = 0;
  for (const file of files) {
    const bytes = readFileSync(join(dist, file));
    raw += bytes.length;
    gzip += gzipSync(bytes).length;
  }
  return { files: files.size, raw, gzip };
}

describe("the dashboard's production build", () => {
  it('loads each page with less than its budget of gzip bytes', async () => {
    const { dir } = await ensureDashboardBuilt();
    const manifest = JSON.parse(readFileSync(join(dir, '.vite', 'manifest.json'), 'utf8'));
    for (const [page, limit] of Object.entries(LIMITS)) {
      const load = initialLoad(dir, manifest, page);
      console.log(
        `${page}: ${load.files} files, ${(load.raw / 1024).toFixed(0)} KB, ${(load.gzip / 1024).toFixed(0)} KB gzip`,
      );
      expect(load.gzip, page).toBeLessThan(limit);
      expect(load.files, page).toBeGreaterThan(1);
    }
  });
});
