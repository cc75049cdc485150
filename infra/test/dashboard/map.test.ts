import type { MapBase } from '@city/twin/contract';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type BuiltPage, buildMapPage, PAGE_PATH } from '../../bench/dashboard-page.ts';
import {
  browserSkipReason,
  type DashboardPlatform,
  keepScreenshot,
  launchChromium,
  startDashboardPlatform,
} from '../support/browser.ts';

/**
 * The city map (dashboard/src/map) in a real Chromium against the platform as `pnpm start` runs
 * it: the demo city's objects drawn over the base map generated from the twin's own districts
 * and streets. Asserted on the screenshot's pixels: the objects' colours are on the map where the
 * objects are, and gone when their layer is switched off.
 *
 * The page is the map alone (dashboard/bench/map-page.html), built by the test through Vite's
 * API into a temporary folder (it does not ship) and served on the platform's origin.
 */

/**
 * What the test reaches in the page, typed here: the node side's tsconfig has no DOM types, and
 * the functions given to `evaluate` run in the page, where these exist.
 */
interface MapHit {
  number: string;
  lon: number;
  lat: number;
}
interface PageGlobals {
  cityMap?: {
    map: {
      loaded(): boolean;
      isMoving(): boolean;
      once(event: 'idle', fn: () => void): void;
      jumpTo(o: { center: [number, number]; zoom: number }): void;
      project(p: [number, number]): { x: number; y: number };
      getCanvas(): { clientWidth: number; clientHeight: number };
      getCanvasContainer(): { getBoundingClientRect(): { left: number; top: number } };
    };
    objectCount: number;
    objectAt(slot: number): MapHit | null;
    setLayerVisible(id: string, on: boolean): void;
    fitCity(): void;
    onObjectClick(listener: (hit: MapHit) => void): () => void;
  };
  mapReady?: { objects: number } | { error: string };
  lastClick?: string | null;
  requestAnimationFrame(fn: () => void): number;
  atob(text: string): string;
  Blob: new (parts: unknown[], opts: { type: string }) => unknown;
  createImageBitmap(blob: unknown): Promise<{ width: number; height: number }>;
  OffscreenCanvas: new (
    width: number,
    height: number,
  ) => {
    getContext(kind: '2d'): {
      drawImage(image: unknown, x: number, y: number): void;
      getImageData(
        x: number,
        y: number,
        w: number,
        h: number,
      ): { data: Uint8ClampedArray; width: number; height: number };
    };
  };
}

/** The colours an object is filled with (object-states.ts OBJECT_LOOKS), as RGB. */
const OBJECT_FILLS: [number, number, number][] = [
  [120, 130, 150],
  [0, 158, 115],
  [153, 153, 153],
  [240, 228, 66],
  [213, 94, 0],
  [0, 114, 178],
];

interface PixelCount {
  objectColoured: number;
  /** At each probe point (an object's projected position): whether its 5x5 box holds an object colour. */
  probes: boolean[];
}

/** Counts, in the browser (its own PNG decoder), the screenshot's pixels near an object colour. */
async function countPixels(page: Page, png: Buffer, probes: [number, number][]): Promise<PixelCount> {
  return page.evaluate(
    async ({ base64, fills, probes }) => {
      const w = globalThis as unknown as PageGlobals;
      const bytes = Uint8Array.from(w.atob(base64), (c) => c.charCodeAt(0));
      const bitmap = await w.createImageBitmap(new w.Blob([bytes], { type: 'image/png' }));
      const canvas = new w.OffscreenCanvas(bitmap.width, bitmap.height);
      const ctx = canvas.getContext('2d');
      ctx.drawImage(bitmap, 0, 0);
      const { data, width, height } = ctx.getImageData(0, 0, bitmap.width, bitmap.height);
      const near = (i: number) =>
        fills.some(
          ([r, g, b]) =>
            Math.abs((data[i] as number) - r) <= 14 &&
            Math.abs((data[i + 1] as number) - g) <= 14 &&
            Math.abs((data[i + 2] as number) - b) <= 14,
        );
      let objectColoured = 0;
      for (let i = 0; i < data.length; i += 4) if (near(i)) objectColoured++;
      const hits = probes.map(([x, y]) => {
        for (let dy = -2; dy <= 2; dy++)
          for (let dx = -2; dx <= 2; dx++) {
            const px = Math.round(x) + dx;
            const py = Math.round(y) + dy;
            if (px >= 0 && py >= 0 && px < width && py < height && near((py * width + px) * 4)) return true;
          }
        return false;
      });
      return { objectColoured, probes: hits };
    },
    { base64: png.toString('base64'), fills: OBJECT_FILLS, probes },
  );
}

/** Waits until MapLibre and deck.gl have drawn what was asked (SwiftShader is slow). */
async function settle(page: Page): Promise<void> {
  await page.evaluate(
    () =>
      new Promise<void>((resolve) => {
        const w = globalThis as unknown as PageGlobals;
        const map = w.cityMap?.map;
        if (!map) return resolve();
        const done = () => w.requestAnimationFrame(() => w.requestAnimationFrame(() => resolve()));
        if (map.loaded() && !map.isMoving()) done();
        else map.once('idle', done);
      }),
  );
  await page.waitForTimeout(800);
}

describe.skipIf(browserSkipReason)('the city map in a browser', () => {
  let platform: DashboardPlatform;
  let browser: Browser;
  let built: BuiltPage;
  let context: BrowserContext;
  let page: Page;
  const errors: string[] = [];

  beforeAll(async () => {
    [platform, browser, built] = await Promise.all([startDashboardPlatform(), launchChromium(), buildMapPage()]);
    context = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'uk-UA' });
    await built.serve(context, platform.url);
    page = await context.newPage();
    page.on('pageerror', (err) => errors.push(err.message));
    page.on('console', (msg) => {
      if (msg.type() === 'error') errors.push(msg.text());
    });
    await page.goto(`${platform.url}${PAGE_PATH}map-page.html?mode=platform`);
    await page.waitForFunction(() => (globalThis as unknown as PageGlobals).mapReady !== undefined, undefined, {
      timeout: 90_000,
    });
  }, 180_000);

  afterAll(async () => {
    await context?.close();
    await browser?.close();
    await platform?.close();
    await built?.close();
  });

  it("draws the demo city's objects on the twin's own base map: the pixels say so", async () => {
    const ready = await page.evaluate(() => (globalThis as unknown as PageGlobals).mapReady);
    expect(ready).toMatchObject({ objects: expect.any(Number) });
    const objects = (ready as { objects: number }).objects;
    expect(objects).toBeGreaterThan(1000);

    // The base map is the twin's: its districts and the demo city's streets (stored by the import).
    const base = (await (await fetch(`${platform.url}/api/v1/map/base`)).json()) as MapBase;
    expect(base.features.filter((f) => f.properties.kind === 'district').length).toBeGreaterThan(0);
    expect(base.features.filter((f) => f.properties.kind === 'street').length).toBeGreaterThan(0);

    // Close in on the first object: dots are apart there, and a click target.
    await page.evaluate(() => {
      const map = (globalThis as unknown as PageGlobals).cityMap;
      const hit = map?.objectAt(0);
      if (map && hit) map.map.jumpTo({ center: [hit.lon, hit.lat], zoom: 15.5 });
    });
    await settle(page);
    // Where the objects in view are on the screen (MapLibre's projection), up to 40 of them.
    const probes = await page.evaluate(() => {
      const map = (globalThis as unknown as PageGlobals).cityMap;
      if (!map) return [];
      const canvas = map.map.getCanvas();
      const points: [number, number][] = [];
      for (let slot = 0; slot < map.objectCount && points.length < 40; slot++) {
        const hit = map.objectAt(slot);
        if (!hit) continue;
        const p = map.map.project([hit.lon, hit.lat]);
        if (p.x > 20 && p.y > 20 && p.x < canvas.clientWidth - 20 && p.y < canvas.clientHeight - 20)
          points.push([p.x, p.y]);
      }
      return points;
    });
    expect(probes.length).toBeGreaterThan(5);

    const withObjects = await countPixels(page, await keepScreenshot(page, 'map-objects'), probes);
    await page.evaluate(() => (globalThis as unknown as PageGlobals).cityMap?.setLayerVisible('objects', false));
    await settle(page);
    const without = await countPixels(page, await page.screenshot(), probes);
    await page.evaluate(() => (globalThis as unknown as PageGlobals).cityMap?.setLayerVisible('objects', true));
    // Drawn again before the next test clicks: picking reads the layers of the last frame.
    await settle(page);

    // Hundreds of object-coloured pixels with the layer, next to none without it (the base map
    // is drawn in dark greys and blues no object uses).
    expect(withObjects.objectColoured).toBeGreaterThan(300);
    expect(without.objectColoured).toBeLessThan(withObjects.objectColoured / 10);
    // And they are where the objects are: most probes hit a dot with the layer, few without.
    const share = (p: boolean[]) => p.filter(Boolean).length / p.length;
    expect(share(withObjects.probes)).toBeGreaterThan(0.8);
    expect(share(without.probes)).toBeLessThan(0.2);
    expect(errors).toEqual([]);
  });

  it('reports a click on an object with its number, and zoomed out shows the whole city', async () => {
    // Where object 0 is on the screen (the view is still closed in on it), and a listener for the click.
    const target = await page.evaluate(() => {
      const map = (globalThis as unknown as PageGlobals).cityMap;
      const hit = map?.objectAt(0);
      if (!map || !hit) return null;
      const w = globalThis as unknown as PageGlobals;
      w.lastClick = null;
      map.onObjectClick((h) => {
        w.lastClick = h.number;
      });
      const p = map.map.project([hit.lon, hit.lat]);
      const rect = map.map.getCanvasContainer().getBoundingClientRect();
      return { number: hit.number, x: rect.left + p.x, y: rect.top + p.y };
    });
    expect(target).not.toBeNull();
    const { number, x, y } = target as { number: string; x: number; y: number };
    await page.mouse.click(x, y);
    await page.waitForFunction(() => (globalThis as unknown as PageGlobals).lastClick !== null, undefined, {
      timeout: 10_000,
    });
    expect(await page.evaluate(() => (globalThis as unknown as PageGlobals).lastClick)).toBe(number);

    await page.evaluate(() => (globalThis as unknown as PageGlobals).cityMap?.fitCity());
    await settle(page);
    const whole = await countPixels(page, await keepScreenshot(page, 'map-city'), []);
    expect(whole.objectColoured).toBeGreaterThan(300);
    expect(errors).toEqual([]);
  });
});
