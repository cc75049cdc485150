import { gzipSync } from 'node:zlib';
import { demoCity, toGeoJSON } from '@city/firmware-sim';
import {
  type LocateResult,
  MAX_PHOTO_BYTES,
  type ObjectListItem,
  type ObjectPublicView,
  type PublicReport,
} from '@city/twin/contract';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type BrowserSuite, browserSkipReason, startBrowserSuite } from '../support/browser.ts';
import { KIOSK, logIn, OPERATOR } from '../support/demo-accounts.ts';
import type { PageWindow } from '../support/page-window.ts';
import { encodePng } from '../support/png.ts';
import { keepScreenshot } from '../support/screenshots.ts';

/**
 * The resident page in a real Chromium on a small phone's screen: report by number with a photo
 * and follow the report, an unknown number, the language switch, "Where am I?" with its small
 * map - all against the platform as `pnpm start` runs it.
 */
const PHONE = { width: 360, height: 640 };
/** The seed `pnpm start` generates the demo city from (infra/src/embedded.ts). */
const DEMO_SEED = 2026;

/** Chromium's console line for an answer the test asked for (a 404 on purpose); any other error fails. */
const EXPECTED_404 = /Failed to load resource: the server responded with a status of 404/;

/** The page's full width: wider than the phone's screen would mean scrolling sideways. */
const pageWidth = async (page: Page) => Number(await page.evaluate('document.documentElement.scrollWidth'));

// The functions handed to page.evaluate run in the browser (support/page-window.ts).
declare const window: PageWindow;

/** A small PNG (a gradient), made here: the page must take a real image file. */
const gradientPng = (width: number, height: number) =>
  encodePng(width, height, (x, y) => [(x * 255) / width, (y * 255) / height, 128]);

/** A PNG of random pixels: what neither PNG nor JPEG can make small. */
const noisyPng = (width: number, height: number) =>
  encodePng(width, height, () => [Math.random() * 256, Math.random() * 256, Math.random() * 256]);

describe.skipIf(browserSkipReason)('the resident page (/r) on a phone', () => {
  let suite: BrowserSuite;
  let platform: BrowserSuite['platform'];
  /** A demo object with an address, and two of its neighbours. */
  let object: ObjectPublicView;
  let neighbours: string[];

  beforeAll(async () => {
    suite = await startBrowserSuite();
    platform = suite.platform;
    const poles = await platform.get<{ objects: ObjectListItem[] }>('/api/v1/objects?type=pole&limit=50', KIOSK);
    const pole = poles.objects.find((o) => o.address);
    if (!pole) throw new Error('the demo city has no pole with an address');
    object = await platform.get<ObjectPublicView>(`/api/v1/objects/${encodeURIComponent(pole.number)}`);
    const near = await platform.get<{ objects: ObjectListItem[] }>(
      `/api/v1/objects?near=${pole.lat},${pole.lon}&k=3&limit=3`,
      KIOSK,
    );
    neighbours = near.objects.map((o) => o.number).filter((n) => n !== pole.number);
  });

  afterAll(async () => {
    await suite?.close();
  });

  it('reports by number with a photo, gives a tracking code and shows its status', async () => {
    await suite.visit(`/r/${encodeURIComponent(object.number)}`, { viewport: PHONE }, async ({ page, errors }) => {
      await page.getByTestId('object-type').waitFor();
      expect(await page.getByTestId('object-type').textContent()).toBe(object.typeLabel.uk);
      expect(await page.getByTestId('object-address').textContent()).toBe(object.address);

      // The categories come from the API, labelled in Ukrainian; picked by the label a resident reads.
      await page.getByLabel('Не світить ліхтар').check();
      await page.getByLabel('Опис (необов’язково)').fill('Ліхтар не світить третій вечір поспіль.');
      await page.getByLabel('Фото (необов’язково)').setInputFiles({
        name: 'photo.png',
        mimeType: 'image/png',
        buffer: gradientPng(320, 240),
      });
      await page.getByTestId('photo-ready').waitFor();
      await page.getByLabel('Телефон або e-mail (необов’язково)').fill('+380 67 000 00 00');
      // The top of the form: the object to confirm and the categories.
      await page.getByRole('heading', { level: 1 }).scrollIntoViewIfNeeded();
      expect(await pageWidth(page)).toBeLessThanOrEqual(PHONE.width);
      await keepScreenshot(page, 'resident');

      await page.getByRole('button', { name: 'Надіслати' }).click();
      const codeText = page.getByTestId('tracking-code');
      await codeText.waitFor();
      const code = (await codeText.textContent())?.trim() ?? '';
      expect(code).toMatch(/^[2-9A-HJKMNP-Z]{10}$/);

      // The report exists, with its photo, as staff see it through the API.
      const filed = await platform.get<PublicReport>(`/api/v1/reports/${code}`);
      expect(filed).toMatchObject({ objectNumber: object.number, category: 'light_out', status: 'new' });
      const token = await logIn(platform.url, OPERATOR);
      const incident = await platform.get<{
        reports: { trackingCode: string; photo: { contentType: string } | null }[];
      }>(`/api/v1/incidents/${filed.incidentId}`, { authorization: `Bearer ${token}` });
      const report = incident.reports.find((r) => r.trackingCode === code);
      expect(report?.photo?.contentType).toBe('image/jpeg');

      await page.getByRole('link', { name: 'Переглянути стан звернення' }).click();
      await page.getByTestId('report-status').waitFor();
      expect(new URL(page.url()).search).toBe(`?code=${code}`);
      expect(await page.getByTestId('report-status').textContent()).toBe('Нове');
      await page.getByRole('button', { name: 'Оновити' }).click();
      await page.getByText(/Оновлено о/).waitFor();
      expect(await pageWidth(page)).toBeLessThanOrEqual(PHONE.width);
      await keepScreenshot(page, 'resident-status');
      expect(errors).toEqual([]);
    });
  });

  it('says clearly that an unknown number is unknown', async () => {
    await suite.visit(`/r/ЖЖ-99-99999`, { viewport: PHONE }, async ({ page, errors }) => {
      const error = page.getByTestId('number-error');
      await error.waitFor();
      expect(await error.textContent()).toContain('Об’єкта з таким номером немає');
      // Typed into the form: the same answer, and no report form for a number that is no object.
      await page.getByLabel('Номер об’єкта').fill('XX-00-00000');
      await page.getByRole('button', { name: 'Знайти' }).click();
      await page.getByTestId('number-error').waitFor();
      expect(await page.locator('input[name="category"]').count()).toBe(0);
      expect(errors.filter((e) => !EXPECTED_404.test(e))).toEqual([]);
    });
  });

  it('scans a QR label where the browser can (a stand-in BarcodeDetector and camera)', async () => {
    await suite.visit(`/r`, { viewport: PHONE }, async ({ context, page, errors }) => {
      // Headless Chromium on Linux has no BarcodeDetector: the button is not offered at all.
      await page.getByLabel('Номер об’єкта').waitFor();
      expect(await page.getByRole('button', { name: 'Сканувати QR-код' }).count()).toBe(0);
      // A phone's: a detector that reads the label's URL, and a camera that films a canvas.
      const label = `${platform.url}/r/${encodeURIComponent(object.number)}`;
      await context.addInitScript({
        content: `
          window.BarcodeDetector = class {
            async detect() { return [{ rawValue: ${JSON.stringify(label)} }]; }
          };
          navigator.mediaDevices.getUserMedia = async () => {
            const canvas = document.createElement('canvas');
            canvas.width = 64;
            canvas.height = 48;
            const paint = () => canvas.getContext('2d').fillRect(0, 0, 64, Math.random() * 48);
            paint();
            setInterval(paint, 50);
            return canvas.captureStream(20);
          };`,
      });
      await page.reload();
      await page.getByRole('button', { name: 'Сканувати QR-код' }).click();
      await page.getByTestId('object-card').waitFor();
      expect(await page.getByTestId('object-address').textContent()).toBe(object.address);
      expect(errors).toEqual([]);
    });
  });

  it('says what it is doing on a slow connection, and when the server refuses (429)', async () => {
    await suite.visit(`/r?where`, { viewport: PHONE }, async ({ page, errors }) => {
      await page.route('**/api/v1/locate', (route) =>
        route.fulfill({
          status: 429,
          json: { error: 'rate_limited', message: 'rate limit of 60 requests per minute exceeded; retry in 1 minute' },
        }),
      );
      await page.getByLabel('Номер об’єкта 1').fill(object.number);
      await page.getByRole('button', { name: 'Визначити місце' }).click();
      await page.getByTestId('where-error').waitFor();
      expect(await page.getByTestId('where-error').textContent()).toContain('Зачекайте хвилину');

      // An object lookup that takes 4 s: "looking" at once, "the connection is slow" after 3 s, then the object.
      await page.route('**/api/v1/objects/*', async (route) => {
        await new Promise((resolve) => setTimeout(resolve, 4000));
        await route.continue();
      });
      await page.goto(`${platform.url}/r/${encodeURIComponent(object.number)}`);
      await page.getByText('Шукаємо об’єкт…').waitFor();
      await page.getByText('З’єднання повільне, зачекайте…').waitFor({ timeout: 3900 });
      await page.getByTestId('object-card').waitFor();
      expect(errors.filter((e) => !/status of 429/.test(e))).toEqual([]);
    });
  });

  it("shrinks a large photo on the phone below the server's limit", async () => {
    await suite.visit(`/r/${encodeURIComponent(object.number)}`, { viewport: PHONE }, async ({ page, errors }) => {
      await page.getByTestId('object-card').waitFor();
      // Noise does not compress: a 2400x1800 PNG of it is some 13 MB, far over the API's 2 MB.
      const big = noisyPng(2400, 1800);
      expect(big.length).toBeGreaterThan(MAX_PHOTO_BYTES);
      await page
        .getByLabel('Фото (необов’язково)')
        .setInputFiles({ name: 'big.png', mimeType: 'image/png', buffer: big });
      const ready = page.getByTestId('photo-ready');
      await ready.waitFor({ timeout: 20_000 });
      const kb = Number(/(\d+)/.exec((await ready.textContent()) ?? '')?.[1]);
      expect(kb).toBeGreaterThan(10);
      expect(kb * 1024).toBeLessThanOrEqual(MAX_PHOTO_BYTES);
      expect(errors).toEqual([]);
    });
  });

  it('switches to English and back', async () => {
    await suite.visit(`/r`, { viewport: PHONE }, async ({ page, errors }) => {
      await page.getByRole('heading', { level: 1, name: 'Повідомити про проблему' }).waitFor();
      expect(await page.getAttribute('html', 'lang')).toBe('uk');
      await page.click('[data-lang=en]');
      await page.getByRole('heading', { level: 1, name: 'Report a problem' }).waitFor();
      expect(await page.getAttribute('html', 'lang')).toBe('en');
      expect(await page.getByLabel('Object number').count()).toBe(1);
      expect(await page.title()).toBe('Report a problem');
      await page.click('[data-lang=uk]');
      await page.getByRole('heading', { level: 1, name: 'Повідомити про проблему' }).waitFor();
      expect(await page.getAttribute('html', 'lang')).toBe('uk');
      expect(await page.getByLabel('Номер об’єкта').count()).toBe(1);
      expect(errors).toEqual([]);
    });
  });

  it('"Where am I?" shows the position on a small map, with coordinates to read out', async () => {
    const numbers = [object.number, ...neighbours].slice(0, 3);
    expect(numbers.length).toBeGreaterThanOrEqual(2);
    const expected = (await (
      await fetch(`${platform.url}/api/v1/locate`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ numbers }),
      })
    ).json()) as LocateResult;
    const base = await fetch(`${platform.url}/api/v1/map/base`);
    await suite.visit(`/r?where`, { viewport: PHONE }, async ({ page, errors }) => {
      console.log(`small map's streets from: ${base.ok ? 'GET /api/v1/map/base' : 'a stand-in (no /api/v1/map/base)'}`);
      if (!base.ok) {
        // A server without the base-map route yet: the demo city's own districts and streets stand in for it.
        const city = toGeoJSON({ ...demoCity(DEMO_SEED), objects: [] });
        await page.route('**/api/v1/map/base', (route) => route.fulfill({ json: city }));
      }
      for (const [i, number] of numbers.entries()) await page.getByLabel(`Номер об’єкта ${i + 1}`).fill(number);
      await page.getByRole('button', { name: 'Визначити місце' }).click();
      await page.getByTestId('coordinates').waitFor();
      expect(await page.getByTestId('coordinates').textContent()).toBe(
        `${expected.lat.toFixed(5)}, ${expected.lon.toFixed(5)}`,
      );
      expect(await page.getByTestId('nearest-address').textContent()).toBeTruthy();
      const map = page.getByTestId('small-map');
      await map.waitFor();
      // The objects named are drawn once their views arrive; then the map is complete.
      await page
        .locator('.map-object')
        .nth(numbers.length - 1)
        .waitFor();
      expect(Number(await page.getByTestId('accuracy-circle').getAttribute('r'))).toBeGreaterThan(2);
      expect(await page.getByTestId('position').isVisible()).toBe(true);
      // Streets around the position are drawn and named, and the nearest one is given in words.
      await page.locator('.map-street').first().waitFor();
      expect(await page.locator('.map-street-label').count()).toBeGreaterThan(0);
      await page.getByText('Найближча вулиця').waitFor();
      // Drawn to be seen on a phone: the map spans the screen's width, the position in its own colour.
      const box = await map.boundingBox();
      expect(box?.width).toBeGreaterThan(PHONE.width * 0.8);
      expect(box?.height).toBeGreaterThan(150);
      const dot = page.locator('.map-you circle');
      // (Run in the page: the DOM's getComputedStyle, which this Node file's types do not have.)
      const fill = await dot.evaluate((el) => window.getComputedStyle(el).fill);
      expect(fill).toBe('rgb(213, 94, 0)');
      await map.scrollIntoViewIfNeeded();
      expect(await pageWidth(page)).toBeLessThanOrEqual(PHONE.width);
      await keepScreenshot(page, 'resident-where');
      expect(errors).toEqual([]);
    });
  });

  it('loads light: no map library, a small gzip size', async () => {
    const html = await (await fetch(`${platform.url}/r`)).text();
    const seen = new Set<string>();
    const queue = [...html.matchAll(/(?:src|href)="(\/assets\/[^"]+)"/g)].map((m) => m[1] as string);
    let gzip = 0;
    while (queue.length > 0) {
      const path = queue.shift() as string;
      if (seen.has(path)) continue;
      seen.add(path);
      const body = Buffer.from(await (await fetch(`${platform.url}${path}`)).arrayBuffer());
      gzip += gzipSync(body).length;
      const text = body.toString('utf8');
      expect(text, path).not.toMatch(/maplibre|deck\.gl|WebGL2RenderingContext/i);
      for (const m of text.matchAll(/from\s*["']\.\/([^"']+\.js)["']|import\s*["']\.\/([^"']+\.js)["']/g)) {
        queue.push(`/assets/${m[1] ?? m[2]}`);
      }
    }
    console.log(`resident page: ${seen.size} files, ${(gzip / 1024).toFixed(1)} KB gzip (JS + CSS)`);
    expect(seen.size).toBeGreaterThan(1);
    expect(gzip).toBeLessThan(60 * 1024);
  });
});
