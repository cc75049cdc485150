/**
 * The browser's globals as the tests use them in the functions they hand to `page.evaluate` (which
 * run in the page): typed here because the test packages' types are Node's, without the DOM. A
 * test file says `declare const window: PageWindow;` and reaches everything through `window`.
 */

/** A point on the screen. */
export interface Point {
  x: number;
  y: number;
}

/** The pages' CityMap (dashboard/src/map/city-map.ts), as far as the tests use it. */
export interface CityMapHandle {
  map: {
    project(p: [number, number]): Point;
    jumpTo(o: { center: [number, number]; zoom: number }): void;
    getCanvas(): { clientWidth: number; clientHeight: number; getBoundingClientRect(): { left: number; top: number } };
    loaded(): boolean;
    isMoving(): boolean;
    once(event: 'idle', f: () => void): void;
  };
  objectCount: number;
  objectAt(slot: number): { number: string; lon: number; lat: number } | null;
  setLayerVisible(id: string, on: boolean): void;
  layerVisible(id: string): boolean;
  fitCity(): void;
  onObjectClick(listener: (hit: { number: string }) => void): () => void;
  /** The alarms its alarm layer holds. */
  alarms?: { id: number }[];
}

export interface PageWindow {
  /** The wall's map (wall/map-mount.tsx) and store (wall/wall-app.tsx). */
  wallMap?: CityMapHandle;
  wallStore?: { state: { alarms: Map<number, { objectNumber: string | null }> }; subscribe(f: () => void): () => void };
  /** The map page's map (dashboard/bench/map-page.html) and what it says when ready. */
  cityMap?: CityMapHandle;
  mapReady?: { objects: number } | { error: string };
  /** What a test keeps in the page between calls. */
  arrival?: Record<string, number>;
  lastClick?: string | null;

  document: {
    querySelector(selector: string): object | null;
    body: object;
  };
  localStorage: { getItem(key: string): string | null };
  performance: { now(): number; getEntriesByType(type: string): { name?: string; transferSize?: number }[] };
  requestAnimationFrame(callback: () => void): number;
  MutationObserver: new (
    callback: () => void,
  ) => { observe(target: object, options: object): void; disconnect(): void };
  getComputedStyle(el: unknown): { fill: string; backgroundColor: string };
}
