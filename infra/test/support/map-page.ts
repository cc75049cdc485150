import type { Page } from 'playwright-core';
import type { PageWindow } from './page-window.ts';

/** Where a page keeps its CityMap: the wall's `wallMap`, the map page's `cityMap`. */
export type MapGlobal = 'wallMap' | 'cityMap';

export type Box = { x: number; y: number; width: number; height: number };

/** The colours an object is filled with (dashboard map/object-states.ts OBJECT_LOOKS, shared/palette.ts). */
export const OBJECT_FILLS: [number, number, number][] = [
  [120, 130, 150],
  [0, 158, 115],
  [153, 153, 153],
  [240, 228, 66],
  [213, 94, 0],
  [0, 114, 178],
];

/**
 * Waits until MapLibre and deck.gl have drawn what was asked: the map idle (SwiftShader is slow),
 * then two frames, so that the drawn frame is the one on the screen.
 */
export async function settleMap(page: Page, global: MapGlobal): Promise<void> {
  await page.evaluate(
    (name) =>
      new Promise<void>((resolve) => {
        const w = globalThis as unknown as PageWindow;
        const map = w[name]?.map;
        if (!map) return resolve();
        const done = () => w.requestAnimationFrame(() => w.requestAnimationFrame(() => resolve()));
        if (map.loaded() && !map.isMoving()) done();
        else map.once('idle', done);
      }),
    global,
  );
}

/** Where `lon, lat` is on the page (MapLibre's projection plus the canvas's place). */
export async function pointOf(page: Page, global: MapGlobal, lon: number, lat: number): Promise<[number, number]> {
  const at = await page.evaluate(
    ({ name, lon, lat }) => {
      const map = (globalThis as unknown as PageWindow)[name];
      if (!map) return null;
      const rect = map.map.getCanvas().getBoundingClientRect();
      const p = map.map.project([lon, lat]);
      return [rect.left + p.x, rect.top + p.y] as [number, number];
    },
    { name: global, lon, lat },
  );
  if (!at) throw new Error(`no ${global} on the page`);
  return at;
}

/**
 * Where objects are on the page, up to 40 of them at least 20 px inside `box` (60 from its foot,
 * where the map's legend sits), every `step`-th object of the map's slots.
 */
export async function objectProbes(page: Page, global: MapGlobal, box: Box, step = 1): Promise<[number, number][]> {
  return page.evaluate(
    ({ name, b, step }) => {
      const map = (globalThis as unknown as PageWindow)[name];
      const points: [number, number][] = [];
      if (!map) return points;
      const rect = map.map.getCanvas().getBoundingClientRect();
      for (let slot = 0; slot < map.objectCount && points.length < 40; slot += step) {
        const hit = map.objectAt(slot);
        if (!hit) continue;
        const p = map.map.project([hit.lon, hit.lat]);
        const x = rect.left + p.x;
        const y = rect.top + p.y;
        if (x > b.x + 20 && y > b.y + 20 && x < b.x + b.width - 20 && y < b.y + b.height - 60) points.push([x, y]);
      }
      return points;
    },
    { name: global, b: box, step },
  );
}
