import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { extname, join, normalize } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { BrowserContext } from 'playwright-core';

/**
 * The map's test-and-bench page (dashboard/bench/map-page.html), built with Vite's API into a
 * temporary folder - never into dashboard/dist, so it does not ship - and served to a browser
 * context by intercepting its requests under `PAGE_PATH` of an origin: the platform's (the page
 * then calls the real API on the same origin) or a made-up one (the bench: nothing else exists).
 */
export const PAGE_PATH = '/__map-page/';

const DASHBOARD = fileURLToPath(new URL('../../dashboard/', import.meta.url));

export interface BuiltPage {
  dir: string;
  /** Serves the built files to `context` under `${origin}${PAGE_PATH}`. */
  serve(context: BrowserContext, origin: string): Promise<void>;
  close(): Promise<void>;
}

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.map': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
};

export async function buildMapPage(): Promise<BuiltPage> {
  const dir = await mkdtemp(join(tmpdir(), 'city-map-page-'));
  // Vite is the dashboard's dependency, resolved from there.
  const vitePath = createRequire(join(DASHBOARD, 'package.json')).resolve('vite');
  // Typed here by the little used: infra does not depend on Vite itself.
  const { build } = (await import(pathToFileURL(vitePath).href)) as {
    build(config: Record<string, unknown>): Promise<unknown>;
  };
  await build({
    configFile: false,
    root: join(DASHBOARD, 'bench'),
    base: PAGE_PATH,
    logLevel: 'warn',
    build: {
      outDir: dir,
      emptyOutDir: true,
      target: 'es2022',
      reportCompressedSize: false,
      chunkSizeWarningLimit: 4096,
      rollupOptions: { input: join(DASHBOARD, 'bench', 'map-page.html') },
    },
  });
  return {
    dir,
    serve: async (context, origin) => {
      await context.route(`${origin}${PAGE_PATH}**`, async (route) => {
        const path = new URL(route.request().url()).pathname.slice(PAGE_PATH.length) || 'map-page.html';
        const file = normalize(join(dir, decodeURIComponent(path)));
        if (!file.startsWith(dir)) return route.fulfill({ status: 403 });
        try {
          const body = await readFile(file);
          await route.fulfill({ status: 200, body, contentType: TYPES[extname(file)] ?? 'application/octet-stream' });
        } catch {
          await route.fulfill({ status: 404, body: 'not found' });
        }
      });
    },
    close: () => rm(dir, { recursive: true, force: true }),
  };
}
