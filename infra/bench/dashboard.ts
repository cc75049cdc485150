import type { Page } from 'playwright-core';
import { launchChromium } from '../test/support/browser.ts';
import { buildMapPage, PAGE_PATH } from './dashboard-page.ts';
import type { BenchResult } from './report.ts';

/**
 * `pnpm bench dashboard`: the wall's map in headless Chromium with BENCH_MAP_OBJECTS (100k)
 * objects and BENCH_MAP_UPDATES (1,000) readings a second arriving in BENCH_MAP_BATCHES (10)
 * batches a second, each changing an object's look. Measured for BENCH_MAP_SECONDS (15) after a
 * warm-up, twice in one run on the same objects and updates:
 * - the map's way: CityMap, typed arrays changed in place, one GPU buffer re-uploaded;
 * - the baseline: a MapLibre GeoJSON source, changed features' properties then `setData`.
 * Figures: frame times (requestAnimationFrame deltas, p50/p95/p99), main-thread time to apply a
 * batch (per batch and per reading), long tasks, and which WebGL renderer Chromium used
 * (headless, no GPU: SwiftShader, i.e. the CPU draws - frame times are the CPU's, not a GPU's).
 *
 * The page (dashboard/bench/map-page.html) is built by the bench through Vite's API into a
 * temporary folder and served by request interception: it does not ship in dist/.
 */
const ORIGIN = 'http://map-bench.invalid';

interface Figures {
  renderer: 'deck' | 'geojson';
  objects: number;
  batches: number;
  readings: number;
  applyMs: number[];
  frameMs: number[];
  longTasks: { count: number; totalMs: number };
  loadMs: number;
  seconds: number;
  /** From the CPU profile of the measured part: JavaScript and GC on the main thread, and native time (the GPU process's waits among it). */
  profile: { scriptMs: number; nativeMs: number; idleMs: number };
}

interface CpuProfile {
  nodes: { id: number; callFrame: { functionName: string } }[];
  samples: number[];
  timeDeltas: number[];
}

/** Splits a CPU profile's time: script (JS, GC), native (`(program)`: the browser's own code, GPU waits), idle. */
function splitProfile(profile: CpuProfile): Figures['profile'] {
  const names = new Map(profile.nodes.map((n) => [n.id, n.callFrame.functionName]));
  const out = { scriptMs: 0, nativeMs: 0, idleMs: 0 };
  profile.samples.forEach((id, i) => {
    const dt = (profile.timeDeltas[i + 1] ?? 0) / 1000;
    const name = names.get(id);
    if (name === '(idle)') out.idleMs += dt;
    else if (name === '(program)') out.nativeMs += dt;
    else out.scriptMs += dt;
  });
  return out;
}

const envInt = (name: string, fallback: number) => {
  const n = Number(process.env[name]);
  return Number.isFinite(n) && n > 0 ? Math.round(n) : fallback;
};

function percentile(values: number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] as number;
}

const ms = (x: number) => (Number.isFinite(x) ? `${x < 10 ? x.toFixed(2) : x.toFixed(1)} ms` : 'n/a');
const sum = (values: number[]) => values.reduce((a, b) => a + b, 0);

export async function benchDashboard(): Promise<BenchResult> {
  const options = {
    objects: envInt('BENCH_MAP_OBJECTS', 100_000),
    updatesPerSecond: envInt('BENCH_MAP_UPDATES', 1000),
    batchesPerSecond: envInt('BENCH_MAP_BATCHES', 10),
    seconds: envInt('BENCH_MAP_SECONDS', 15),
    warmupSeconds: 3,
  };
  const [browser, page] = await Promise.all([launchChromium(), buildMapPage()]);
  const lines: string[] = [];
  try {
    const results: Figures[] = [];
    let webgl = '';
    for (const renderer of ['deck', 'geojson'] as const) {
      // Each in a fresh page: one's leftovers (GPU buffers, workers) do not weigh on the other.
      const context = await browser.newContext({ viewport: { width: 1600, height: 900 } });
      await page.serve(context, ORIGIN);
      // The base map's API does not exist here: the map draws without districts and streets.
      await context.route(`${ORIGIN}/api/**`, (route) => route.fulfill({ status: 404, body: '{}' }));
      const tab: Page = await context.newPage();
      const errors: string[] = [];
      tab.on('pageerror', (e) => errors.push(e.message));
      await tab.goto(`${ORIGIN}${PAGE_PATH}map-page.html?mode=bench`);
      await tab.waitForFunction(() => (globalThis as { mapBench?: unknown }).mapBench !== undefined);
      webgl ||= await tab.evaluate(() =>
        (globalThis as unknown as { mapBench: { webglRenderer(): string } }).mapBench.webglRenderer(),
      );
      type Bench = { mapBench: { prepare(o: unknown): Promise<unknown>; measure(): Promise<unknown> } };
      await tab.evaluate((opts) => (globalThis as unknown as Bench).mapBench.prepare(opts), { ...options, renderer });
      // Only the measured part is profiled: not the load, not the warm-up.
      const cdp = await context.newCDPSession(tab);
      await cdp.send('Profiler.enable');
      await cdp.send('Profiler.setSamplingInterval', { interval: 500 });
      await cdp.send('Profiler.start');
      const measured = (await tab.evaluate(() => (globalThis as unknown as Bench).mapBench.measure())) as Omit<
        Figures,
        'profile'
      >;
      const { profile } = (await cdp.send('Profiler.stop')) as unknown as { profile: CpuProfile };
      const figures: Figures = { ...measured, profile: splitProfile(profile) };
      if (errors.length > 0) throw new Error(`the ${renderer} page failed: ${errors.join('; ')}`);
      results.push(figures);
      await context.close();
    }
    const [deck, geojson] = results as [Figures, Figures];
    lines.push(
      `${options.objects.toLocaleString('en-US')} objects, ${options.updatesPerSecond.toLocaleString('en-US')} readings/s in ${options.batchesPerSecond} batches/s, ${options.seconds} s measured after ${options.warmupSeconds} s warm-up`,
      `WebGL renderer: ${webgl}${/swiftshader/i.test(webgl) ? ' (software: the CPU draws every frame)' : ''}`,
    );
    for (const f of [deck, geojson]) {
      const name = f.renderer === 'deck' ? 'map (binary attributes, in place)' : 'baseline (GeoJSON setData)';
      const perReading = f.readings > 0 ? (sum(f.applyMs) / f.readings) * 1000 : Number.NaN;
      lines.push(
        `${name}:`,
        `  load ${ms(f.loadMs)}; ${f.batches} batches (${f.readings.toLocaleString('en-US')} readings) applied of ${options.batchesPerSecond * options.seconds} sent`,
        `  apply a batch: p50 ${ms(percentile(f.applyMs, 50))}, p95 ${ms(percentile(f.applyMs, 95))}, max ${ms(Math.max(...f.applyMs))}; ${perReading.toFixed(2)} µs a reading`,
        `  frames: ${f.frameMs.length} (${(f.frameMs.length / f.seconds).toFixed(1)}/s), p50 ${ms(percentile(f.frameMs, 50))}, p95 ${ms(percentile(f.frameMs, 95))}, p99 ${ms(percentile(f.frameMs, 99))}`,
        `  long tasks: ${f.longTasks.count}, ${ms(f.longTasks.totalMs)} in all (${((f.longTasks.totalMs / (f.seconds * 1000)) * 100).toFixed(1)} % of the time)`,
        `  main thread (CPU profile): script+GC ${ms(f.profile.scriptMs)} = ${ms(f.profile.scriptMs / Math.max(1, f.batches))} a batch; native (incl. GPU waits) ${ms(f.profile.nativeMs)}; idle ${ms(f.profile.idleMs)}`,
      );
    }
    // Main-thread cost of an update: the page's script and GC time while updates arrive, per batch
    // (setData's serialisation and the tiles it brings back run after the call returns; deck.gl's
    // upload runs in the next frame: both are in it). Native time is left out: on SwiftShader it is
    // mostly the wait for the CPU-emulated GPU, paid by both whatever the update.
    const cost = (f: Figures) => f.profile.scriptMs / Math.max(1, f.batches);
    const ratio = cost(geojson) / cost(deck);
    const p95 = percentile(deck.frameMs, 95);
    lines.push(
      `main-thread script+GC time per batch: map ${ms(cost(deck))}, baseline ${ms(cost(geojson))}: ${ratio.toFixed(1)}x cheaper (target >= 10x: ${ratio >= 10 ? 'met' : 'NOT met'})`,
      `map p95 frame ${ms(p95)} (target <= 16.7 ms where the GPU allows: ${p95 <= 16.7 ? 'met' : /swiftshader/i.test(webgl) ? 'not met on SwiftShader, a CPU renderer' : 'NOT met'})`,
    );
  } finally {
    await browser.close();
    await page.close();
  }
  return {
    name: 'dashboard',
    command:
      'pnpm bench dashboard   (BENCH_MAP_OBJECTS, BENCH_MAP_UPDATES, BENCH_MAP_BATCHES, BENCH_MAP_SECONDS to change)',
    lines,
  };
}
