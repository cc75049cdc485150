import type { MapObjects, ReadingBatch } from '@city/twin/contract';
import { type GeoJSONSource, Map as MapLibreMap } from 'maplibre-gl';
import { CityMap } from '../src/map/city-map.ts';
import { OBJECT_LOOKS } from '../src/map/object-states.ts';

/**
 * `pnpm bench dashboard`'s page side: N synthetic objects on the map and a stream of readings
 * that change their look (lamps switching, bins crossing 85 %), applied either the map's way
 * (CityMap: typed arrays changed in place, one buffer re-uploaded) or the baseline's (MapLibre
 * GeoJSON source: the changed features' properties set, then `setData` of the whole collection,
 * as a page without binary attributes would). The same objects, the same updates, the same
 * measurements: frame times (requestAnimationFrame deltas), the main-thread time of applying each
 * batch, and long tasks (> 50 ms) while it runs.
 */
export interface BenchOptions {
  renderer: 'deck' | 'geojson';
  objects: number;
  /** Readings a second, spread over `batchesPerSecond` batches (the stream sends a few a second). */
  updatesPerSecond: number;
  batchesPerSecond: number;
  seconds: number;
  warmupSeconds: number;
}

export interface BenchFigures {
  renderer: BenchOptions['renderer'];
  objects: number;
  batches: number;
  readings: number;
  /** ms per batch applied (the synchronous part: the page's work before it can do anything else). */
  applyMs: number[];
  frameMs: number[];
  longTasks: { count: number; totalMs: number };
  loadMs: number;
  seconds: number;
}

const TYPES = ['pole', 'bin', 'manhole', 'tree'];
const CENTER: [number, number] = [35.14, 47.84];

/** A city of `n` objects spread over ~14 x 10 km (a type mix like the demo city's). */
export function syntheticObjects(n: number): MapObjects {
  let seed = 42;
  const random = () => {
    seed = (seed * 1_103_515_245 + 12_345) & 0x7fffffff;
    return seed / 0x7fffffff;
  };
  const objects: MapObjects = {
    version: `bench-${n}`,
    count: n,
    types: TYPES,
    type: [],
    numbers: [],
    lon: [],
    lat: [],
    districts: ['01', '02', '03', '04'],
    district: [],
  };
  for (let i = 0; i < n; i++) {
    const lon = CENTER[0] - 0.095 + random() * 0.19;
    const lat = CENTER[1] - 0.045 + random() * 0.09;
    objects.type.push(i % 4);
    objects.numbers.push(`B-${String(i).padStart(6, '0')}`);
    objects.lon.push(Math.round(lon * 1e6) / 1e6);
    objects.lat.push(Math.round(lat * 1e6) / 1e6);
    objects.district.push((lon > CENTER[0] ? 1 : 0) + (lat > CENTER[1] ? 2 : 0));
  }
  return objects;
}

/** Readings for `k` random objects: poles switch their lamp, bins go over or under 85 %. */
function makeBatch(objects: MapObjects, k: number, tick: number): ReadingBatch {
  const names: string[] = [];
  const objectIndex = new Uint32Array(k);
  const metricIndex = new Uint8Array(k);
  const values = new Float64Array(k);
  const times = new Float64Array(k).fill(Date.now());
  for (let r = 0; r < k; r++) {
    // Objects 0, 2 (poles) and 1 (bins) of each four: the types that change colour.
    const base = Math.floor(Math.random() * (objects.count / 4)) * 4;
    const slot = Math.random() < 0.5 ? base : base + 1;
    names.push(objects.numbers[slot] as string);
    objectIndex[r] = r;
    const bin = objects.type[slot] === 1;
    metricIndex[r] = bin ? 1 : 0;
    values[r] = bin ? (tick % 2 === 0 ? 92 : 30) : tick % 2;
  }
  return { objects: names, metrics: ['lamp_on', 'fill_level'], objectIndex, metricIndex, values, times };
}

export function webglRenderer(): string {
  const gl = document.createElement('canvas').getContext('webgl2');
  if (!gl) return 'no WebGL2';
  const info = gl.getExtension('WEBGL_debug_renderer_info');
  return info ? String(gl.getParameter(info.UNMASKED_RENDERER_WEBGL)) : String(gl.getParameter(gl.RENDERER));
}

/** The GeoJSON baseline: one circle layer coloured from a property, updated with setData. */
class GeoJsonBaseline {
  private readonly map: MapLibreMap;
  private readonly collection: GeoJSON.FeatureCollection<GeoJSON.Point, { color: string }>;
  private readonly slotOf = new Map<string, number>();
  private readonly colors = {
    lampOn: rgb(OBJECT_LOOKS.lampOn.fill),
    lampOff: rgb(OBJECT_LOOKS.lampOff.fill),
    binFull: rgb(OBJECT_LOOKS.binFull.fill),
    ok: rgb(OBJECT_LOOKS.ok.fill),
    noDevice: rgb(OBJECT_LOOKS.noDevice.fill),
  };

  private constructor(container: HTMLElement, objects: MapObjects) {
    this.collection = {
      type: 'FeatureCollection',
      features: objects.numbers.map((number, i) => {
        this.slotOf.set(number, i);
        return {
          type: 'Feature',
          id: i,
          geometry: { type: 'Point', coordinates: [objects.lon[i] as number, objects.lat[i] as number] },
          properties: { color: this.colors.noDevice },
        };
      }),
    };
    this.map = new MapLibreMap({
      container,
      style: {
        version: 8,
        sources: { objects: { type: 'geojson', data: this.collection } },
        layers: [
          { id: 'background', type: 'background', paint: { 'background-color': '#0e1116' } },
          {
            id: 'objects',
            type: 'circle',
            source: 'objects',
            paint: { 'circle-color': ['get', 'color'], 'circle-radius': 3 },
          },
        ],
      },
      bounds: boundsOf(objects),
      fadeDuration: 0,
    });
  }

  static async create(container: HTMLElement, objects: MapObjects): Promise<GeoJsonBaseline> {
    const baseline = new GeoJsonBaseline(container, objects);
    await new Promise<void>((resolve) => baseline.map.once('idle', () => resolve()));
    return baseline;
  }

  apply(batch: ReadingBatch): void {
    for (let r = 0; r < batch.values.length; r++) {
      const slot = this.slotOf.get(batch.objects[batch.objectIndex[r] as number] as string);
      if (slot === undefined) continue;
      const feature = this.collection.features[slot] as GeoJSON.Feature<GeoJSON.Point, { color: string }>;
      const metric = batch.metrics[batch.metricIndex[r] as number];
      const value = batch.values[r] as number;
      feature.properties.color =
        metric === 'fill_level'
          ? value > 85
            ? this.colors.binFull
            : this.colors.ok
          : value >= 0.5
            ? this.colors.lampOn
            : this.colors.lampOff;
    }
    (this.map.getSource('objects') as GeoJSONSource).setData(this.collection);
  }

  destroy(): void {
    this.map.remove();
  }
}

function rgb([r, g, b]: readonly number[]): string {
  return `rgb(${r}, ${g}, ${b})`;
}

function boundsOf(objects: MapObjects): [number, number, number, number] {
  const box: [number, number, number, number] = [180, 90, -180, -90];
  for (let i = 0; i < objects.count; i++) {
    const lon = objects.lon[i] as number;
    const lat = objects.lat[i] as number;
    box[0] = Math.min(box[0], lon);
    box[1] = Math.min(box[1], lat);
    box[2] = Math.max(box[2], lon);
    box[3] = Math.max(box[3], lat);
  }
  return box;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

interface Prepared {
  opts: BenchOptions;
  objects: MapObjects;
  apply: (batch: ReadingBatch) => void;
  destroy: () => void;
  loadMs: number;
}

let prepared: Prepared | undefined;

/** Builds the map with the objects and runs the warm-up; `measure` then runs the measured part. */
async function prepare(opts: BenchOptions): Promise<{ loadMs: number }> {
  const container = document.getElementById('map') as HTMLElement;
  const objects = syntheticObjects(opts.objects);
  const loadStarted = performance.now();
  let apply: (batch: ReadingBatch) => void;
  let destroy: () => void;
  if (opts.renderer === 'deck') {
    const map = await CityMap.create(container, {
      basemap: { kind: 'twin', url: null, attribution: null },
      lang: 'uk',
      objects: false,
      // Like for like with the baseline's one circle layer: the objects alone.
      visible: { clusters: false, labels: false, alarms: false, outages: false, air: false },
    });
    map.setObjects(objects);
    await new Promise<void>((resolve) => map.map.once('idle', () => resolve()));
    apply = (batch) => map.applyReadings(batch);
    destroy = () => map.destroy();
  } else {
    const baseline = await GeoJsonBaseline.create(container, objects);
    apply = (batch) => baseline.apply(batch);
    destroy = () => baseline.destroy();
  }
  const loadMs = performance.now() - loadStarted;
  prepared = { opts, objects, apply, destroy, loadMs };
  await drive(prepared, opts.warmupSeconds, false);
  return { loadMs };
}

async function measure(): Promise<BenchFigures> {
  if (!prepared) throw new Error('prepare first');
  const figures = await drive(prepared, prepared.opts.seconds, true);
  prepared.destroy();
  prepared = undefined;
  return figures;
}

/** Sends batches for `seconds`, recording frames, apply times and long tasks if `record`. */
async function drive(p: Prepared, seconds: number, record: boolean): Promise<BenchFigures> {
  const { opts, objects, apply } = p;
  const perBatch = Math.max(1, Math.round(opts.updatesPerSecond / opts.batchesPerSecond));
  const applyMs: number[] = [];
  const frameMs: number[] = [];
  const longTasks = { count: 0, totalMs: 0 };
  const observer = new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) {
      longTasks.count++;
      longTasks.totalMs += entry.duration;
    }
  });
  if (record) observer.observe({ type: 'longtask', buffered: false });
  let last = performance.now();
  let frames = true;
  const frame = (now: number) => {
    frameMs.push(now - last);
    last = now;
    if (frames) requestAnimationFrame(frame);
  };
  requestAnimationFrame(frame);
  let batches = 0;
  const interval = 1000 / opts.batchesPerSecond;
  const start = performance.now();
  const end = start + seconds * 1000;
  const sent = (now: number) => Math.min(Math.floor((now - start) / interval) + 1, opts.batchesPerSecond * seconds);
  while (performance.now() < end) {
    // Every batch sent so far is applied, late ones in a row, as the stream delivers every message
    // to a page that was busy: falling behind costs the page more work, not less.
    while (batches < sent(performance.now()) && performance.now() < end) {
      const batch = makeBatch(objects, perBatch, batches);
      const started = performance.now();
      apply(batch);
      applyMs.push(performance.now() - started);
      batches++;
    }
    await sleep(Math.max(0, start + batches * interval - performance.now()));
  }
  frames = false;
  observer.disconnect();
  return {
    renderer: opts.renderer,
    objects: opts.objects,
    batches,
    readings: batches * perBatch,
    applyMs,
    frameMs,
    longTasks,
    loadMs: p.loadMs,
    seconds,
  };
}

export const mapBench = { prepare, measure, webglRenderer };
