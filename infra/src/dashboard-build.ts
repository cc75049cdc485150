import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const DASHBOARD = join(ROOT, 'dashboard');
/** Where the build goes: the server's default DASHBOARD_DIR. */
export const DASHBOARD_DIST = join(DASHBOARD, 'dist');
/** What the built pages are made of: the dashboard's own files and the contracts it imports. */
const SOURCES = [
  'dashboard/src',
  'dashboard/index.html',
  'dashboard/desk.html',
  'dashboard/r.html',
  'dashboard/vite.config.ts',
  'dashboard/package.json',
  'twin/src/contract',
  'ingest/src/contract',
  'pnpm-lock.yaml',
];
/** In `dist/`: the fingerprint of the sources it was built from. */
const STAMP = '.built-from';

export interface DashboardBuild {
  dir: string;
  /** False when the files were already built from these sources. */
  built: boolean;
  seconds: number;
}

/**
 * The dashboard's production build (`vite build` into dashboard/dist), made when the sources
 * changed since the last one (`pnpm start` and the browser tests call this; a fresh clone builds
 * once, later starts skip it). Runs in a child process so that Vite's memory is not the server's.
 */
export async function ensureDashboardBuilt(): Promise<DashboardBuild> {
  const started = Date.now();
  const dir = DASHBOARD_DIST;
  const fingerprint = await sourcesFingerprint();
  const previous = await readFile(join(dir, STAMP), 'utf8').catch(() => '');
  if (previous === fingerprint) return { dir, built: false, seconds: 0 };
  const vite = join(
    createRequire(join(DASHBOARD, 'package.json')).resolve('vite/package.json'),
    '..',
    'bin',
    'vite.js',
  );
  try {
    await promisify(execFile)(process.execPath, [vite, 'build', '--logLevel', 'warn'], {
      cwd: DASHBOARD,
      maxBuffer: 16 * 2 ** 20,
    });
  } catch (err) {
    const { stderr, stdout } = err as { stderr?: string; stdout?: string };
    throw new Error(`the dashboard's build failed:\n${stderr || stdout || (err as Error).message}`);
  }
  await writeFile(join(dir, STAMP), fingerprint);
  return { dir, built: true, seconds: (Date.now() - started) / 1000 };
}

/** A hash of every source file's path, size and modification time. */
async function sourcesFingerprint(): Promise<string> {
  const hash = createHash('sha256');
  for (const source of SOURCES) {
    for (const file of await filesUnder(join(ROOT, source))) {
      const { size, mtimeMs } = await stat(file);
      hash.update(`${relative(ROOT, file)}\0${size}\0${mtimeMs}\n`);
    }
  }
  return hash.digest('hex');
}

async function filesUnder(path: string): Promise<string[]> {
  const info = await stat(path).catch(() => undefined);
  if (!info) return [];
  if (!info.isDirectory()) return [path];
  const entries = await readdir(path, { withFileTypes: true, recursive: true });
  return entries
    .filter((e) => e.isFile() && !e.name.endsWith('.test.ts'))
    .map((e) => join(e.parentPath, e.name))
    .sort();
}
