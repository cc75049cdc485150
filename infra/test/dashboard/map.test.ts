import type { MapBase } from '@city/twin/contract';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type BuiltPage, buildMapPage, PAGE_PATH } from '../../bench/dashboard-page.ts';
import { type BrowserSuite, browserSkipReason, collectErrors, startBrowserSuite } from '../support/browser.ts';
import { OBJECT_FILLS, objectProbes, settleMap } from '../support/map-page.ts';
import type { PageWindow } from '../support/page-window.ts';
import { countPixels, hitShare } from '../support/pixels.ts';
import { keepScreenshot } from '../support/screenshots.ts';

/**
 * The city map (dashboard/src/map) in a real Chromium against the platform as `pnpm start` runs
 * it: the demo city's objects drawn over the base map generated from the twin's own districts
 * and streets. Asserted on the screenshot's pixels: the objects' colours are on the map where the
 * objects are, and gone when their layer is switched off.
 *
 * The page is the map alone (dashboard/bench/map-page.html), built by the test through Vite's
 * API into a temporary folder (it does not ship) and served on the platform's origin.
 */

// The functions handed to page.evaluate run in the browser (support/page-window.ts).
declare const window: PageWindow;

const VIEWPORT = { width: 1280, height: 800 };

describe.skipIf(browserSkipReason)('the city map in a browser', () => {
  let suite: BrowserSuite;
  let platform: BrowserSuite['platform'];
  let built: BuiltPage;
  let context: BrowserContext;
  let page: Page;
  let errors: string[];

  beforeAll(async () => {
    [suite, built] = await Promise.all([startBrowserSuite(), buildMapPage()]);
    platform = suite.platform;
    context = await suite.browser.newContext({ viewport: VIEWPORT, locale: 'uk-UA' });
    await built.serve(context, platform.url);
    page = await context.newPage();
    errors = collectErrors(page);
    await page.goto(`${platform.url}${PAGE_PATH}map-page.html?mode=platform`);
    await page.waitForFunction(() => window.mapReady !== undefined, undefined, {
      timeout: 90_000,
    });
  }, 180_000);

  afterAll(async () => {
    await context?.close();
    await suite?.close();
    await built?.close();
  });

  it("draws the demo city's objects on the twin's own base map: the pixels say so", async () => {
    const ready = await page.evaluate(() => window.mapReady);
    expect(ready).toMatchObject({ objects: expect.any(Number) });
    const objects = (ready as { objects: number }).objects;
    expect(objects).toBeGreaterThan(1000);

    // The base map is the twin's: its districts and the demo city's streets (stored by the import).
    const base = (await (await fetch(`${platform.url}/api/v1/map/base`)).json()) as MapBase;
    expect(base.features.filter((f) => f.properties.kind === 'district').length).toBeGreaterThan(0);
    expect(base.features.filter((f) => f.properties.kind === 'street').length).toBeGreaterThan(0);

    // Close in on the first object: dots are apart there, and a click target.
    await page.evaluate(() => {
      const map = window.cityMap;
      const hit = map?.objectAt(0);
      if (map && hit) map.map.jumpTo({ center: [hit.lon, hit.lat], zoom: 15.5 });
    });
    await settleMap(page, 'cityMap');
    // Where the objects in view are on the screen (MapLibre's projection), up to 40 of them.
    const probes = await objectProbes(page, 'cityMap', { x: 0, y: 0, ...VIEWPORT });
    expect(probes.length).toBeGreaterThan(5);

    const withObjects = countPixels(await keepScreenshot(page, 'map-objects'), OBJECT_FILLS, { probes });
    await page.evaluate(() => window.cityMap?.setLayerVisible('objects', false));
    await settleMap(page, 'cityMap');
    const without = countPixels(await page.screenshot(), OBJECT_FILLS, { probes });
    await page.evaluate(() => window.cityMap?.setLayerVisible('objects', true));
    // Drawn again before the next test clicks: picking reads the layers of the last frame.
    await settleMap(page, 'cityMap');

    // Hundreds of object-coloured pixels with the layer, next to none without it (the base map
    // is drawn in dark greys and blues no object uses).
    expect(withObjects.total).toBeGreaterThan(300);
    expect(without.total).toBeLessThan(withObjects.total / 10);
    // And they are where the objects are: most probes hit a dot with the layer, few without.
    expect(hitShare(withObjects.probes)).toBeGreaterThan(0.8);
    expect(hitShare(without.probes)).toBeLessThan(0.2);
    expect(errors).toEqual([]);
  });

  it('reports a click on an object with its number, and zoomed out shows the whole city', async () => {
    // Where object 0 is on the screen (the view is still closed in on it), and a listener for the click.
    const target = await page.evaluate(() => {
      const map = window.cityMap;
      const hit = map?.objectAt(0);
      if (!map || !hit) return null;
      window.lastClick = null;
      map.onObjectClick((h) => {
        window.lastClick = h.number;
      });
      const p = map.map.project([hit.lon, hit.lat]);
      const rect = map.map.getCanvas().getBoundingClientRect();
      return { number: hit.number, x: rect.left + p.x, y: rect.top + p.y };
    });
    expect(target).not.toBeNull();
    const { number, x, y } = target as { number: string; x: number; y: number };
    await page.mouse.click(x, y);
    await page.waitForFunction(() => window.lastClick !== null, undefined, {
      timeout: 10_000,
    });
    expect(await page.evaluate(() => window.lastClick)).toBe(number);

    await page.evaluate(() => window.cityMap?.fitCity());
    await settleMap(page, 'cityMap');
    const whole = countPixels(await keepScreenshot(page, 'map-city'), OBJECT_FILLS);
    expect(whole.total).toBeGreaterThan(300);
    expect(errors).toEqual([]);
  });
});
