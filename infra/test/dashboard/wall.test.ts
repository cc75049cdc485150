import { inflateSync } from 'node:zlib';
import type { Alarm, AlarmPage, ObjectListItem } from '@city/twin/contract';
import mqtt, { type MqttClient } from 'mqtt';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  browserSkipReason,
  type DashboardPlatform,
  keepScreenshot,
  launchChromium,
  openPage,
  startDashboardPlatform,
} from '../support/browser.ts';
import { eventTopic, fillUplink, testDevice, WILSEN } from '../support/fleet.ts';

/**
 * The wall (`/`) in a real Chromium against the platform as `pnpm start` runs it, as the demo's
 * kiosk (no login): the map draws the city's objects (asserted on the screenshot's pixels); a bin
 * sensor's uplink through the embedded broker raises an alarm that appears in the feed and on the
 * map within a second of its stream event reaching the page; an operator's acknowledgement
 * reaches the wall; the kiosk rotates its views; the language switch; and a phone's view, KPIs
 * first, with the map's libraries and objects fetched only when its tab is opened.
 */

/** The demo's network-server account on the embedded broker (README, Security). */
const NETWORK_SERVER = { username: 'chirpstack', password: 'chirpstack-demo' };
const OPERATOR = { username: 'operator', password: 'city-demo-operator' };
const KIOSK = { authorization: 'Bearer demo-kiosk' };
/** Colours an object is filled with (map/object-states.ts OBJECT_LOOKS). */
const OBJECT_FILLS: [number, number, number][] = [
  [120, 130, 150],
  [0, 158, 115],
  [153, 153, 153],
  [240, 228, 66],
  [213, 94, 0],
  [0, 114, 178],
];
/** A minor alarm's ring (shared/palette.ts SEVERITY_COLORS.minor). */
const MINOR_RING: [number, number, number] = [240, 228, 66];

/** The wall's page as the test reads it (map-mount.tsx and wall-app.tsx expose these). */
interface WallWindow {
  wallMap?: {
    map: {
      project(p: [number, number]): { x: number; y: number };
      jumpTo(o: object): void;
      getCanvas(): { getBoundingClientRect(): { left: number; top: number } };
      loaded(): boolean;
      isMoving(): boolean;
      once(e: string, f: () => void): void;
    };
    objectCount: number;
    objectAt(slot: number): { lon: number; lat: number } | null;
    setLayerVisible(id: string, on: boolean): void;
  };
  wallStore?: { state: { alarms: Map<number, { objectNumber: string | null }> }; subscribe(f: () => void): () => void };
  arrival?: Record<string, number>;
}

// The functions handed to page.evaluate run in the browser: its globals, as far as they are used
// here (this package's types are Node's, without the DOM).
declare const window: WallWindow;
declare const document: {
  querySelector(selector: string): { getAttribute(name: string): string | null } | null;
  body: object;
};
declare const localStorage: { getItem(key: string): string | null };
declare const performance: {
  now(): number;
  getEntriesByType(type: string): { name?: string; transferSize?: number }[];
};
declare function requestAnimationFrame(callback: () => void): number;
declare class MutationObserver {
  constructor(callback: () => void);
  observe(target: object, options: object): void;
  disconnect(): void;
}

/**
 * A screenshot's pixels, decoded here rather than in the page: the page's main thread is busy
 * drawing WebGL in software, and a test that waits on it for a decode measures the wrong thing.
 * Chromium's screenshots are 8-bit RGB or RGBA PNGs, not interlaced.
 */
function decodePng(png: Buffer): { width: number; height: number; channels: number; data: Buffer } {
  let pos = 8;
  let width = 0;
  let height = 0;
  let channels = 0;
  const chunks: Buffer[] = [];
  while (pos < png.length) {
    const length = png.readUInt32BE(pos);
    const type = png.toString('ascii', pos + 4, pos + 8);
    const body = png.subarray(pos + 8, pos + 8 + length);
    if (type === 'IHDR') {
      width = body.readUInt32BE(0);
      height = body.readUInt32BE(4);
      if (body[8] !== 8 || body[12] !== 0) throw new Error('a PNG this decoder does not read');
      channels = body[9] === 6 ? 4 : body[9] === 2 ? 3 : 0;
      if (!channels) throw new Error(`PNG colour type ${body[9]}`);
    } else if (type === 'IDAT') chunks.push(body);
    pos += 12 + length;
  }
  const raw = inflateSync(Buffer.concat(chunks));
  const stride = width * channels;
  const data = Buffer.alloc(height * stride);
  for (let y = 0; y < height; y++) {
    const filter = raw[y * (stride + 1)];
    for (let x = 0; x < stride; x++) {
      const a = x >= channels ? (data[y * stride + x - channels] as number) : 0;
      const b = y > 0 ? (data[(y - 1) * stride + x] as number) : 0;
      const c = x >= channels && y > 0 ? (data[(y - 1) * stride + x - channels] as number) : 0;
      let v = raw[y * (stride + 1) + 1 + x] as number;
      if (filter === 1) v += a;
      else if (filter === 2) v += b;
      else if (filter === 3) v += (a + b) >> 1;
      else if (filter === 4) {
        const p = a + b - c;
        const pa = Math.abs(p - a);
        const pb = Math.abs(p - b);
        const pc = Math.abs(p - c);
        v += pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
      }
      data[y * stride + x] = v & 255;
    }
  }
  return { width, height, channels, data };
}

/** Pixels near `colours`: in `box` (or everywhere), at probe points (5x5), and in a ring 6-24 px around a point. */
function countPixels(
  png: Buffer,
  colours: [number, number, number][],
  opts: {
    box?: { x: number; y: number; width: number; height: number };
    probes?: [number, number][];
    ring?: [number, number];
  } = {},
): { total: number; probes: boolean[]; ring: number } {
  const { width, height, channels, data } = decodePng(png);
  const near = (x: number, y: number, tolerance = 14) => {
    if (x < 0 || y < 0 || x >= width || y >= height) return false;
    const i = (y * width + x) * channels;
    return colours.some(
      ([r, g, b]) =>
        Math.abs((data[i] as number) - r) <= tolerance &&
        Math.abs((data[i + 1] as number) - g) <= tolerance &&
        Math.abs((data[i + 2] as number) - b) <= tolerance,
    );
  };
  const b = opts.box ?? { x: 0, y: 0, width, height };
  let total = 0;
  for (let y = Math.round(b.y); y < b.y + b.height; y++)
    for (let x = Math.round(b.x); x < b.x + b.width; x++) if (near(x, y)) total++;
  const probes = (opts.probes ?? []).map(([px, py]) => {
    for (let dy = -2; dy <= 2; dy++)
      for (let dx = -2; dx <= 2; dx++) if (near(Math.round(px) + dx, Math.round(py) + dy)) return true;
    return false;
  });
  let ring = 0;
  if (opts.ring) {
    const [cx, cy] = opts.ring;
    for (let dy = -24; dy <= 24; dy++)
      for (let dx = -24; dx <= 24; dx++) {
        const d = Math.hypot(dx, dy);
        if (d >= 6 && d <= 24 && near(Math.round(cx + dx), Math.round(cy + dy), 40)) ring++;
      }
  }
  return { total, probes, ring };
}

/** Waits until MapLibre and deck.gl have drawn (SwiftShader is slow). */
async function settle(page: Page): Promise<void> {
  await page.evaluate(
    () =>
      new Promise<void>((resolve) => {
        const map = window.wallMap?.map;
        if (!map) return resolve();
        const done = () => requestAnimationFrame(() => requestAnimationFrame(() => resolve()));
        if (map.loaded() && !map.isMoving()) done();
        else map.once('idle', done);
      }),
  );
  await page.waitForTimeout(500);
}

describe.skipIf(browserSkipReason)('the wall (/)', () => {
  let platform: DashboardPlatform;
  let browser: Browser;
  let publisher: MqttClient;
  let bins: ObjectListItem[];
  let operatorToken: string;
  let wall: { page: Page; errors: string[]; close: () => Promise<void> };

  const get = async <T>(path: string, headers: Record<string, string> = KIOSK): Promise<T> => {
    const response = await fetch(`${platform.url}${path}`, { headers });
    expect(response.status, path).toBe(200);
    return (await response.json()) as T;
  };

  /** Keeps the kiosk on the city view (a view picked by hand pauses the rotation for two minutes). */
  const cityView = async () => {
    await wall.page.locator('.views [data-view="city"]').click({ timeout: 30_000 });
    await wall.page.locator('[data-testid="wall"][data-view="city"]').waitFor({ timeout: 10_000 });
  };

  beforeAll(async () => {
    [platform, browser] = await Promise.all([
      // Two views that draw the same layers: rotating through the air zones every 5 s keeps a
      // software renderer on a shared machine too busy to take the test's clicks in time.
      startDashboardPlatform({ WALL_VIEWS: 'city,alarms', WALL_ROTATE_S: '5' }),
      launchChromium(),
    ]);
    const list = await get<{ objects: ObjectListItem[] }>('/api/v1/objects?type=bin&limit=200');
    bins = list.objects;
    if (bins.length < 2) throw new Error('the demo city has too few bins');
    const login = await fetch(`${platform.url}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(OPERATOR),
    });
    operatorToken = ((await login.json()) as { token: string }).token;
    publisher = await mqtt.connectAsync(`mqtt://127.0.0.1:${platform.mqttPort}`, {
      ...NETWORK_SERVER,
      clientId: `wall-test-${process.pid}`,
    });
    const opened = await openPage(browser, `${platform.url}/`);
    wall = { page: opened.page, errors: opened.errors, close: () => opened.context.close() };
    await wall.page.locator('[data-testid="stream-status"][data-status="live"]').waitFor({ timeout: 30_000 });
    await wall.page.locator('[data-testid="wall-map"][data-ready="true"]').waitFor({ timeout: 90_000 });
  }, 180_000);

  afterAll(async () => {
    await wall?.close();
    await publisher?.endAsync(true);
    await browser?.close();
    await platform?.close();
  });

  it('rotates through the configured views by itself, and a view picked by hand stays', async () => {
    const { page } = wall;
    const viewNow = () => page.getAttribute('[data-testid="wall"]', 'data-view', { timeout: 5_000 });
    const first = await viewNow();
    const t0 = Date.now();
    await expect.poll(viewNow, { timeout: 15_000, interval: 500 }).not.toBe(first);
    console.log(`rotation: ${first} -> ${await viewNow()} after ${Date.now() - t0} ms (WALL_ROTATE_S=5)`);
    await cityView();
    await page.waitForTimeout(6_000);
    expect(await viewNow()).toBe('city');
    expect(await page.locator('.rotation').textContent({ timeout: 5_000 })).toBe('зміну вигляду призупинено');
  }, 60_000);

  it("draws the demo city's objects on the map: the screenshot's pixels say so", async () => {
    const { page } = wall;
    await cityView();
    await settle(page);
    const box = await page.locator('[data-testid="wall-map"]').boundingBox();
    if (!box) throw new Error('no map on the wall');
    const count = await page.evaluate(() => window.wallMap?.objectCount ?? 0);
    expect(count).toBeGreaterThan(1000);
    // Where objects are on the screen (MapLibre's projection), up to 40 inside the map's box.
    const probes = await page.evaluate((b) => {
      const map = window.wallMap;
      if (!map) return [];
      const rect = map.map.getCanvas().getBoundingClientRect();
      const points: [number, number][] = [];
      for (let slot = 0; slot < map.objectCount && points.length < 40; slot += 7) {
        const hit = map.objectAt(slot);
        if (!hit) continue;
        const p = map.map.project([hit.lon, hit.lat]);
        const x = rect.left + p.x;
        const y = rect.top + p.y;
        if (x > b.x + 20 && y > b.y + 20 && x < b.x + b.width - 20 && y < b.y + b.height - 60) points.push([x, y]);
      }
      return points;
    }, box);
    const png = await keepScreenshot(page, 'wall');
    const drawn = countPixels(png, OBJECT_FILLS, { box, probes });
    expect(drawn.total).toBeGreaterThan(300);
    // Zoomed out, dots overlap and density cells sit under them: most, not all, probes hit.
    expect(probes.length).toBeGreaterThan(5);
    expect(drawn.probes.filter(Boolean).length / probes.length).toBeGreaterThan(0.6);

    await page.evaluate(() => window.wallMap?.setLayerVisible('objects', false));
    await settle(page);
    const without = countPixels(await page.screenshot(), OBJECT_FILLS, { box, probes });
    await page.evaluate(() => window.wallMap?.setLayerVisible('objects', true));
    expect(without.probes.filter(Boolean).length).toBeLessThan(drawn.probes.filter(Boolean).length / 2);
    expect(wall.errors).toEqual([]);
  }, 60_000);

  it('shows a new alarm in the feed and on the map within a second of its event reaching the page', async () => {
    const { page } = wall;
    await cityView();
    const bin = bins[0] as ObjectListItem;
    // Close in on the bin, so its alarm ring is drawn apart from the rest.
    await page.evaluate(({ lon, lat }) => window.wallMap?.map.jumpTo({ center: [lon, lat], zoom: 16.5 }), {
      lon: bin.lon,
      lat: bin.lat,
    });
    await settle(page);
    const at = await page.evaluate(
      ({ lon, lat }) => {
        const map = window.wallMap;
        if (!map) return null;
        const rect = map.map.getCanvas().getBoundingClientRect();
        const p = map.map.project([lon, lat]);
        return [rect.left + p.x, rect.top + p.y] as [number, number];
      },
      { lon: bin.lon, lat: bin.lat },
    );
    if (!at) throw new Error('no map');
    const before = countPixels(await page.screenshot(), [MINOR_RING], { ring: at });

    // Timestamps taken in the page: when the store got the alarm event (the stream's handler
    // applies it synchronously), when its feed row was in the DOM, when the map's alarm layer
    // had it and a frame was drawn.
    await page.evaluate((number) => {
      const w = window;
      const marks: Record<string, number> = {};
      w.arrival = marks;
      const store = w.wallStore;
      if (!store) throw new Error('no store');
      const hasIt = () => [...store.state.alarms.values()].some((a) => a.objectNumber === number);
      const stop = store.subscribe(() => {
        if (marks.event === undefined && hasIt()) {
          marks.event = performance.now();
          stop();
          const mapped = () => {
            const held = (w.wallMap as unknown as { alarms?: { id: number }[] } | undefined)?.alarms ?? [];
            const ids = new Set(
              [...store.state.alarms.entries()].filter(([, a]) => a.objectNumber === number).map(([id]) => id),
            );
            if (held.some((p) => ids.has(p.id)))
              requestAnimationFrame(() => requestAnimationFrame(() => (marks.map = performance.now())));
            else requestAnimationFrame(mapped);
          };
          mapped();
        }
      });
      const seen = new MutationObserver(() => {
        if (marks.feed === undefined && document.querySelector(`[data-testid="feed-item"][data-object="${number}"]`)) {
          marks.feed = performance.now();
          seen.disconnect();
        }
      });
      seen.observe(document.body, { childList: true, subtree: true, attributes: true });
    }, bin.number);

    const device = testDevice('demo-city', 0xa11c00, { model: WILSEN, object: bin.number });
    const published = Date.now();
    await publisher.publishAsync(eventTopic(device, 'up'), Buffer.from(fillUplink(device, 1, Date.now(), 95)), {
      qos: 1,
    });
    const item = page.locator(`[data-testid="feed-item"][data-object="${bin.number}"]`);
    await item.waitFor({ timeout: 30_000 });
    const shotAt = Date.now();
    const after = countPixels(await keepScreenshot(page, 'wall-alarm'), [MINOR_RING], { ring: at });
    const shotMs = Date.now() - shotAt;
    await page.waitForFunction(() => window.arrival?.map !== undefined);
    const marks = await page.evaluate(() => window.arrival ?? {});
    const feedMs = (marks.feed as number) - (marks.event as number);
    const mapMs = (marks.map as number) - (marks.event as number);
    console.log(
      `alarm on ${bin.number} at (${at.map(Math.round).join(', ')}): publish -> feed row ${shotAt - published} ms; stream event -> feed row ${feedMs.toFixed(0)} ms, ` +
        `-> map layer drawn ${mapMs.toFixed(0)} ms; ring pixels ${before.ring} before, ${after.ring} in a screenshot taken ${shotMs} ms after the row`,
    );
    expect(feedMs).toBeLessThan(1000);
    expect(mapMs).toBeLessThan(1000);
    // The ring is on the map where the bin is (pulsing: its size varies, its colour is there).
    expect(after.ring).toBeGreaterThan(before.ring + 20);

    const text = (await item.textContent()) ?? '';
    expect(text).toContain('незначна');
    expect(text).toContain('контейнер переповнений');
    expect(text).toContain('● нова');
    expect(await item.getAttribute('data-acknowledged')).toBe('false');

    // An operator acknowledges it elsewhere: the wall is told by the stream.
    const alarms = await get<AlarmPage>(`/api/v1/alarms?object=${encodeURIComponent(bin.number)}&status=active`);
    const alarm = alarms.alarms.find((a) => a.type === 'bin_full') as Alarm;
    const ack = await fetch(`${platform.url}/api/v1/alarms/${alarm.id}/ack`, {
      method: 'POST',
      headers: { authorization: `Bearer ${operatorToken}`, 'content-type': 'application/json' },
      body: '{}',
    });
    expect(ack.status).toBe(200);
    await page.locator(`[data-testid="feed-item"][data-object="${bin.number}"][data-acknowledged="true"]`).waitFor({
      timeout: 5_000,
    });
    expect(await item.textContent()).toContain('✓ взято в роботу');

    // Focus on it: the panel has the object's state, its readings chart and the alarm's history.
    await item.locator('button').click();
    const panel = page.getByTestId('focus-panel');
    await panel.getByTestId('focus-history').waitFor({ timeout: 10_000 });
    expect(await panel.getByTestId('focus-number').textContent()).toBe(bin.number);
    const history = (await panel.getByTestId('focus-history').textContent()) ?? '';
    expect(history).toContain('виникла');
    expect(history).toContain('взято в роботу');
    await panel.getByTestId('focus-chart').waitFor({ timeout: 10_000 });
    expect(await panel.textContent()).toContain('Заповнення, %');
    await keepScreenshot(page, 'wall-focus');
    await page.getByTestId('focus-close').click();
    expect(wall.errors).toEqual([]);
  }, 90_000);

  it('groups the feed by category and by district', async () => {
    const { page } = wall;
    await page.locator('[data-grouping="category"]').click();
    await expect.poll(() => page.locator('.feed-group').count()).toBeGreaterThan(0);
    expect(await page.locator('.feed-group h3').allTextContents()).toContainEqual(
      expect.stringContaining('контейнер переповнений'),
    );
    await page.locator('[data-grouping="district"]').click();
    await expect.poll(() => page.locator('.feed-group').count()).toBeGreaterThan(0);
    await page.locator('[data-grouping="none"]').click();
    expect(await page.locator('.feed-group').count()).toBe(0);
  });

  it('switches language to English and back', async () => {
    const { page } = wall;
    expect(await page.locator('h1').textContent()).toBe('Ситуаційний центр');
    await page.locator('[data-lang="en"]').click();
    expect(await page.locator('h1').textContent()).toBe('Situation center');
    expect(await page.locator('#feed-title').textContent()).toBe('Alarms and reports');
    expect(await page.locator('[data-kpi="devices"] dt').textContent()).toBe('Devices online');
    expect(await page.locator('.views [data-view="air"]').textContent()).toBe('Air');
    await page.locator('[data-lang="uk"]').click();
    expect(await page.locator('h1').textContent()).toBe('Ситуаційний центр');
    expect(await page.locator('#feed-title').textContent()).toBe('Тривоги та повідомлення');
  });

  it('on a phone: KPIs first, and the map (its libraries and objects) only when its tab is opened', async () => {
    const phone = await openPage(browser, `${platform.url}/`, { viewport: { width: 390, height: 844 } });
    const fetched: string[] = [];
    phone.page.on('request', (r) => fetched.push(new URL(r.url()).pathname));
    try {
      const { page } = phone;
      await page.locator('[data-testid="kpis"] [data-kpi="devices"]').waitFor({ timeout: 20_000 });
      await page.waitForLoadState('networkidle');
      const entries = await page.evaluate(() =>
        performance
          .getEntriesByType('resource')
          .concat(performance.getEntriesByType('navigation'))
          .map((e) => ({ name: (e as { name?: string }).name ?? '', bytes: e.transferSize || 0 })),
      );
      const transfer = entries.reduce((sum, e) => sum + e.bytes, 0);
      const largest = [...entries]
        .sort((a, b) => b.bytes - a.bytes)
        .slice(0, 3)
        .map((e) => `${new URL(e.name).pathname} ${(e.bytes / 1024).toFixed(0)} KB`);
      console.log(
        `phone, KPIs shown: ${(transfer / 1024).toFixed(0)} KB transferred (as sent, gzip), largest: ${largest.join(', ')}`,
      );
      // The first thing is the KPIs; no map tiles, no objects' columns, no MapLibre yet.
      expect(await page.locator('[data-tab="kpis"]').getAttribute('aria-pressed')).toBe('true');
      expect(await page.locator('[data-testid="wall-map"]').count()).toBe(0);
      expect(fetched.filter((p) => p.includes('/map/objects') || /city-map-.*\.js$/.test(p))).toEqual([]);
      expect(transfer).toBeLessThan(300 * 1024);
      await keepScreenshot(page, 'wall-phone');

      await page.locator('[data-tab="feed"]').click();
      await page.getByTestId('feed').waitFor();
      await page.locator('[data-tab="map"]').click();
      await page.locator('[data-testid="wall-map"][data-ready="true"]').waitFor({ timeout: 90_000 });
      expect(fetched.some((p) => p.endsWith('/api/v1/map/objects'))).toBe(true);
      await keepScreenshot(page, 'wall-phone-map');
      expect(phone.errors).toEqual([]);
    } finally {
      await phone.context.close();
    }
  }, 150_000);

  it('says how to get a kiosk key when it has none, and keeps one given in the address out of the address bar', async () => {
    const visit = await openPage(browser, `${platform.url}/?kiosk=demo-kiosk&lang=en`);
    try {
      const { page } = visit;
      await page.locator('[data-testid="stream-status"][data-status="live"]').waitFor({ timeout: 20_000 });
      expect(new URL(page.url()).search).toBe('?lang=en');
      expect(await page.evaluate(() => localStorage.getItem('city.wall.kiosk'))).toBe('demo-kiosk');
      // A key the server does not know: refused, forgotten, and the page says what to do.
      await page.goto(`${platform.url}/?kiosk=not-a-key&lang=en`);
      await page.getByTestId('need-key').waitFor({ timeout: 20_000 });
      expect(await page.getByTestId('need-key').textContent()).toContain('refused the kiosk key');
      expect(await page.evaluate(() => localStorage.getItem('city.wall.kiosk'))).toBeNull();
      expect(visit.errors.filter((e) => !/status of 401/.test(e))).toEqual([]);
    } finally {
      await visit.context.close();
    }
  }, 60_000);
});
