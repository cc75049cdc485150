import type {
  Alarm,
  DistrictAggregates,
  Incident,
  MapObjects,
  MapState,
  Outage,
  ReadingBatch,
  UiConfig,
} from '@city/twin/contract';
import type { Layer, PickingInfo } from '@deck.gl/core';
import { MapboxOverlay } from '@deck.gl/mapbox';
import { addProtocol, type LngLatBoundsLike, Map as MapLibreMap, setWorkerUrl } from 'maplibre-gl';
import 'maplibre-gl/dist/maplibre-gl.css';
// MapLibre 6 finds its worker beside its own module (`new URL('./maplibre-gl-worker.mjs',
// import.meta.url)`), which a bundle does not have: Vite emits the worker as an asset of ours
// (same origin, as the CSP's worker-src wants) and MapLibre is told where it is.
import workerUrl from 'maplibre-gl/dist/maplibre-gl-worker.mjs?url';
import { outageKindLabel } from '../shared/alarm-labels.ts';
import { api } from '../shared/api.ts';
import type { Lang } from '../shared/i18n.ts';
import { baseStyle, type PmtilesInfo } from './base-style.ts';
import { type AirStation, airLayers } from './layers/air-layer/air-layer.ts';
import { type AlarmPoint, alarmPoints, alarmsLayer } from './layers/alarms-layer/alarms-layer.ts';
import { clustersLayer } from './layers/clusters-layer/clusters-layer.ts';
import { labelsLayers } from './layers/labels-layer/labels-layer.ts';
import { ObjectsLayerSource } from './layers/objects-layer/objects-layer.ts';
import { outagesLayers } from './layers/outages-layer/outages-layer.ts';
import { type CallerPosition, positionLayers } from './layers/position-layer/position-layer.ts';
import { type BaseMap, readBaseMap } from './map-base.ts';
import { DEFAULT_VISIBLE, type MapLayerId } from './map-layers.ts';
import { boundsOf, type ObjectColumns, readObjectColumns } from './object-columns.ts';
import { type ObjectLook, ObjectStates } from './object-states.ts';
import './map.css';

/**
 * CityMap: the city on a MapLibre base map with deck.gl layers over it - what the wall, the desk
 * and any page with the city map use. The API (stable; pages build on it):
 *
 *   const map = await CityMap.create(container, { basemap, token, lang, interactive? });
 *     // base map drawn (GET /api/v1/map/base), objects and their state loaded
 *     // (GET /api/v1/map/objects and /map/state with `token`, the state again every minute;
 *     // no token or `objects: false`: the base map only; a failed load is in `map.objectsError`)
 *   map.setObjects(columns: MapObjects)        // a whole new set of objects (loadObjects() fetches it)
 *   map.setStates(state: MapState)              // the live state of every object (colours)
 *   map.applyReadings(batch: ReadingBatch)      // the stream's readings: recolours in place
 *   map.setAlarms(alarms: Alarm[])              // active alarms pulse by severity
 *   map.setPulse(on)                            // unacknowledged alarms pulse (default) or stand still
 *   map.setOutages(outages: Outage[], incidents?: Incident[])
 *   map.setAirQuality(aggregates: DistrictAggregates)   // EAQI zones + station values
 *   map.flyTo(lon, lat, zoom?) ; map.fitCity()
 *   map.showPosition({lat, lon, accuracyM} | null)      // the desk's caller, with accuracy circle
 *   map.onObjectClick(cb) -> unsubscribe        // cb({number, type, lon, lat, look, fill})
 *   map.setLayerVisible(id: MapLayerId, on) ; map.layerVisible(id) ; map.onLayersChange(cb)
 *   map.setLang(lang) ; map.destroy()
 *   <Legend/> and <LayerToggles map={map}/> (legend.tsx, layer-toggles.tsx) for pages to place.
 *
 * Readings update typed arrays in place (object-states.ts) and re-upload one GPU buffer; nothing
 * is turned into GeoJSON (`pnpm bench dashboard` measures it against MapLibre's setData).
 */
export interface CityMapOptions {
  basemap: UiConfig['basemap'];
  /** A staff token or kiosk key for the objects and their state; none: the base map only. */
  token?: string | null;
  lang: Lang;
  /** Pan and zoom by hand (default true; a wall without a mouse may say false). */
  interactive?: boolean;
  /** Fetch the objects and their state at once (default true). */
  objects?: boolean;
  /** Layers shown at start (default DEFAULT_VISIBLE). */
  visible?: Partial<Record<MapLayerId, boolean>>;
  /**
   * How often the whole state is fetched again (default 60 s): health goes stale with time alone,
   * which no reading announces. Pages call `loadStates()` themselves after a stream `gap`.
   */
  statesEveryMs?: number;
}

export interface ObjectHit {
  slot: number;
  number: string;
  type: string;
  district: string | null;
  lon: number;
  lat: number;
  look: ObjectLook;
  /** A bin's fill, %. */
  fill: number | null;
}

/** The base map's starting view before anything is known (Zaporizhzhia). */
const FALLBACK_CENTER: [number, number] = [35.14, 47.84];
/** The whole state is fetched again this often (ms). */
const STATES_EVERY_MS = 60_000;
/** Readings redraw the map at most this often (ms). */
const READINGS_REDRAW_MS = 500;
/** Below this zoom objects are also counted into density cells. */
const CLUSTERS_MAX_ZOOM = 13;
/** The pulse redraws this often (ms): smooth enough, and it leaves the CPU to the rest of the wall. */
const PULSE_FRAME_MS = 1000 / 30;

setWorkerUrl(workerUrl);

let pmtilesRegistered: Promise<typeof import('pmtiles')> | undefined;

export class CityMap {
  readonly map: MapLibreMap;
  private readonly overlay: MapboxOverlay;
  private columns: ObjectColumns | null = null;
  private states: ObjectStates | null = null;
  private objectsSource: ObjectsLayerSource | null = null;
  private alarms: AlarmPoint[] = [];
  private pulse = true;
  private outages: Outage[] = [];
  private incidents: Incident[] = [];
  private air: DistrictAggregates | null = null;
  private position: CallerPosition | null = null;
  private readonly visible: Record<MapLayerId, boolean>;
  private readonly clickListeners = new Set<(hit: ObjectHit) => void>();
  private readonly layerListeners = new Set<() => void>();
  private frame = 0;
  private renderQueued = false;
  private destroyed = false;
  private lastPulse = 0;
  private lastRender = 0;
  private stations: { states: ObjectStates; version: number; list: AirStation[] } | undefined;
  private statesTimer: ReturnType<typeof setInterval> | undefined;
  /** Why the objects or their state could not be loaded last time; null once they were. */
  objectsError: Error | null = null;
  private redrawTimer: ReturnType<typeof setTimeout> | undefined;

  private constructor(
    container: HTMLElement,
    private readonly base: BaseMap,
    style: ReturnType<typeof baseStyle>,
    private readonly opts: CityMapOptions,
  ) {
    this.visible = { ...DEFAULT_VISIBLE, ...opts.visible };
    const bounds = base.bounds;
    this.map = new MapLibreMap({
      container,
      style,
      ...(bounds
        ? { bounds: bounds as LngLatBoundsLike, fitBoundsOptions: { padding: 20 } }
        : { center: FALLBACK_CENTER, zoom: 12 }),
      interactive: opts.interactive ?? true,
      attributionControl: opts.basemap.attribution ? { customAttribution: opts.basemap.attribution } : false,
      // The wall is a dark room: no fade animations to wait for, no logo.
      fadeDuration: 0,
      maxPitch: 0,
      dragRotate: false,
    });
    this.overlay = new MapboxOverlay({
      interleaved: false,
      layers: [],
      onClick: (info: PickingInfo) => this.clicked(info),
      getCursor: ({ isHovering }) => (isHovering ? 'pointer' : 'grab'),
    });
    this.map.addControl(this.overlay);
    this.map.on('zoomend', () => this.render());
  }

  /** The map in `container`, its base map drawn; the objects loaded unless `objects: false`. */
  static async create(container: HTMLElement, opts: CityMapOptions): Promise<CityMap> {
    const base = readBaseMap(await api<unknown>('/api/v1/map/base').catch(() => null));
    const pmtiles =
      opts.basemap.kind === 'pmtiles' && opts.basemap.url ? await pmtilesInfo(opts.basemap.url) : undefined;
    const map = new CityMap(container, base, baseStyle(opts.basemap, base, pmtiles), opts);
    try {
      await map.start();
    } catch (err) {
      // No half-made map left in the container: a page that tries again starts from an empty one.
      map.destroy();
      throw err;
    }
    return map;
  }

  private async start(): Promise<void> {
    await new Promise<void>((resolve) => {
      if (this.map.loaded()) resolve();
      else this.map.once('load', () => resolve());
    });
    this.render();
    if ((this.opts.objects ?? true) && this.opts.token) {
      // A map without objects still shows the city: the failure is kept for the page, and the
      // periodic state refresh loads the objects once the server answers.
      await this.loadObjects().catch((err: Error) => {
        this.objectsError = err;
      });
      this.statesTimer = setInterval(() => {
        const load = this.columns ? this.loadStates() : this.loadObjects();
        load.then(
          () => {
            this.objectsError = null;
          },
          (err: Error) => {
            this.objectsError = err;
          },
        );
      }, this.opts.statesEveryMs ?? STATES_EVERY_MS);
    }
  }

  /** Fetches the objects and their state again (after `setStates` refused a state of newer objects). */
  async loadObjects(): Promise<void> {
    const token = this.opts.token ?? null;
    const objects = await api<MapObjects>('/api/v1/map/objects', { token });
    this.setObjects(objects);
    await this.loadStates();
  }

  /** Fetches the state of every object: at start, and now and then (health goes stale with time alone). */
  async loadStates(): Promise<void> {
    const state = await api<MapState>('/api/v1/map/state', { token: this.opts.token ?? null });
    if (!this.setStates(state)) await this.loadObjects();
  }

  setObjects(objects: MapObjects): void {
    this.columns = readObjectColumns(objects);
    this.states = new ObjectStates(this.columns);
    this.objectsSource = new ObjectsLayerSource(this.columns, this.states);
    if (!this.base.bounds) {
      const box = boundsOf(this.columns);
      if (box) this.map.fitBounds(box, { padding: 20, animate: false });
    }
    this.render();
  }

  /** False when the state is of another version of the objects (call `loadObjects`). */
  setStates(state: MapState): boolean {
    if (!this.states) return false;
    const taken = this.states.setStates(state);
    if (taken) this.render();
    return taken;
  }

  /** Recolours the objects the readings name; returns how many changed look. */
  applyReadings(batch: ReadingBatch): number {
    if (!this.states) return 0;
    const changed = this.states.applyReadings(batch);
    if (changed > 0 || this.visible.air) this.renderSoon();
    return changed;
  }

  setAlarms(alarms: readonly Alarm[]): void {
    this.alarms = alarmPoints(alarms);
    this.render();
  }

  /**
   * Whether unacknowledged alarms pulse (the default) or stand still: moving content that lasts
   * must be possible to stop (WCAG 2.2.2), and people who ask their system for reduced motion get it still.
   */
  setPulse(on: boolean): void {
    this.pulse = on;
    this.render();
  }

  setOutages(outages: readonly Outage[], incidents: readonly Incident[] = this.incidents): void {
    this.outages = [...outages];
    this.incidents = [...incidents];
    this.render();
  }

  setAirQuality(aggregates: DistrictAggregates): void {
    this.air = aggregates;
    this.render();
  }

  flyTo(lon: number, lat: number, zoom = 17): void {
    if (!(Number.isFinite(lon) && Number.isFinite(lat))) return;
    this.map.flyTo({ center: [lon, lat], zoom, essential: true });
  }

  /** Back to the whole city. */
  fitCity(): void {
    const box = this.base.bounds ?? (this.columns ? boundsOf(this.columns) : null);
    if (box) this.map.fitBounds(box, { padding: 20 });
  }

  /** The desk's caller: a dot with its accuracy circle, flown to; null hides it. */
  showPosition(position: CallerPosition | null): void {
    this.position = position;
    if (position) {
      // Zoom so that the circle fits: ~ 2^(zoom) ∝ 1/size.
      const zoom = Math.max(13, Math.min(18, 17 - Math.log2(Math.max(1, position.accuracyM) / 50)));
      this.flyTo(position.lon, position.lat, zoom);
    }
    this.render();
  }

  onObjectClick(listener: (hit: ObjectHit) => void): () => void {
    this.clickListeners.add(listener);
    return () => this.clickListeners.delete(listener);
  }

  setLayerVisible(id: MapLayerId, on: boolean): void {
    if (this.visible[id] === on) return;
    this.visible[id] = on;
    for (const listener of this.layerListeners) listener();
    this.render();
  }

  layerVisible(id: MapLayerId): boolean {
    return this.visible[id];
  }

  onLayersChange(listener: () => void): () => void {
    this.layerListeners.add(listener);
    return () => this.layerListeners.delete(listener);
  }

  setLang(lang: Lang): void {
    this.opts.lang = lang;
    this.render();
  }

  /** The object in a slot, as a click reports it (tests and the wall's focus use it). */
  objectAt(slot: number): ObjectHit | null {
    const { columns, states } = this;
    if (!columns || !states || slot < 0 || slot >= columns.count) return null;
    return {
      slot,
      number: columns.numbers[slot] as string,
      type: columns.types[columns.typeOf[slot] as number] as string,
      district: columns.districts[columns.districtOf[slot] as number] ?? null,
      lon: columns.positions[2 * slot] as number,
      lat: columns.positions[2 * slot + 1] as number,
      look: states.lookOf(slot),
      fill: states.fillOf(slot),
    };
  }

  /** The slot of an object number, if the map has it. */
  slotOf(number: string): number | undefined {
    return this.columns?.slotOf.get(number);
  }

  get objectCount(): number {
    return this.columns?.count ?? 0;
  }

  destroy(): void {
    this.destroyed = true;
    cancelAnimationFrame(this.frame);
    clearTimeout(this.redrawTimer);
    clearInterval(this.statesTimer);
    this.clickListeners.clear();
    this.layerListeners.clear();
    this.map.removeControl(this.overlay);
    this.map.remove();
  }

  /**
   * Draws again for readings: at most every READINGS_REDRAW_MS. The typed arrays are already
   * current; what waits is only the upload and the draw, which on a slow GPU (or SwiftShader, the
   * CPU) cost far more than a wall screen gains from showing a colour a few frames sooner.
   */
  private renderSoon(): void {
    if (this.redrawTimer !== undefined || this.destroyed) return;
    const wait = Math.max(0, this.lastRender + READINGS_REDRAW_MS - performance.now());
    this.redrawTimer = setTimeout(() => {
      this.redrawTimer = undefined;
      this.render();
    }, wait);
  }

  /** Draws again at the next frame (many changes in one frame draw once). */
  private render(): void {
    if (this.renderQueued || this.destroyed) return;
    this.renderQueued = true;
    this.frame = requestAnimationFrame((now) => {
      this.renderQueued = false;
      if (this.destroyed) return;
      this.lastRender = now;
      this.overlay.setProps({ layers: this.layers(now) });
      // Unacknowledged alarms pulse: keep drawing while any is on the map.
      if (this.pulse && this.visible.alarms && this.alarms.some((a) => !a.acknowledged)) {
        const wait = Math.max(0, PULSE_FRAME_MS - (now - this.lastPulse));
        this.lastPulse = now;
        setTimeout(() => this.render(), wait);
      }
    });
  }

  private layers(now: number): Layer[] {
    const zoom = this.map.getZoom();
    const { base, visible, columns } = this;
    const layers: Layer[] = [];
    layers.push(
      ...(airLayers({
        districts: base.districts,
        aggregates: this.air,
        stations: this.airStations(),
        visible: visible.air,
      }) as Layer[]),
    );
    layers.push(
      ...(outagesLayers({
        districts: base.districts,
        outages: this.outages,
        incidents: this.incidents,
        visible: visible.outages,
        kindLabel: (kind) => outageKindLabel(kind, this.opts.lang),
      }) as Layer[]),
    );
    if (columns && this.objectsSource) {
      // Built only while shown: an aggregation layer re-aggregates at every view change, drawn or not.
      if (visible.clusters && zoom < CLUSTERS_MAX_ZOOM)
        layers.push(clustersLayer({ columns, zoom, maxZoom: CLUSTERS_MAX_ZOOM }) as unknown as Layer);
      // Zoomed out the dots shrink under the density cells; close up they are full size.
      const radiusScale = visible.clusters && zoom < CLUSTERS_MAX_ZOOM ? 0.6 : zoom >= 16 ? 1.4 : 1;
      layers.push(this.objectsSource.layer({ visible: visible.objects, radiusScale }) as unknown as Layer);
    }
    // Still: every alarm drawn at the same moment of its pulse.
    const time = this.pulse ? now : 0;
    layers.push(alarmsLayer({ alarms: this.alarms, time, visible: visible.alarms }) as unknown as Layer);
    layers.push(
      ...(labelsLayers({
        districts: base.districts,
        streets: base.streets,
        lang: this.opts.lang,
        zoom,
        visible: visible.labels,
      }) as unknown as Layer[]),
    );
    layers.push(...(positionLayers({ position: this.position }) as unknown as Layer[]));
    return layers;
  }

  /** The stations' newest values, built again only when they changed (the layer compares by reference). */
  private airStations(): AirStation[] {
    const { columns, states } = this;
    if (!columns || !states || !this.visible.air) return [];
    if (this.stations?.states !== states || this.stations.version !== states.version.air) {
      const list = [...states.air].map(([slot, values]) => ({
        lon: columns.positions[2 * slot] as number,
        lat: columns.positions[2 * slot + 1] as number,
        values: { ...values },
      }));
      this.stations = { states, version: states.version.air, list };
    }
    return this.stations.list;
  }

  private clicked(info: PickingInfo): void {
    if (info.layer?.id !== 'objects' || info.index < 0) return;
    const hit = this.objectAt(info.index);
    if (hit) for (const listener of this.clickListeners) listener(hit);
  }
}

/** Registers the `pmtiles://` protocol once and reads what the file holds (tile type, vector layers). */
async function pmtilesInfo(url: string): Promise<PmtilesInfo | undefined> {
  pmtilesRegistered ??= import('pmtiles').then((module) => {
    addProtocol('pmtiles', new module.Protocol().tile);
    return module;
  });
  try {
    const module = await pmtilesRegistered;
    const file = new module.PMTiles(new URL(url, location.href).href);
    const header = await file.getHeader();
    const metadata = (await file.getMetadata().catch(() => ({}))) as { vector_layers?: { id?: unknown }[] };
    const vectorLayers = (Array.isArray(metadata.vector_layers) ? metadata.vector_layers : [])
      .map((l) => l?.id)
      .filter((id): id is string => typeof id === 'string' && id.length <= 64);
    return {
      tileType: header.tileType === module.TileType.Mvt ? 'vector' : 'raster',
      minZoom: header.minZoom,
      maxZoom: header.maxZoom,
      vectorLayers,
    };
  } catch {
    // An unreadable file: the twin's own base map still draws.
    return undefined;
  }
}
