import { MAP_HEALTH, MAP_LAMP, type MapState, type ReadingBatch } from '@city/twin/contract';
import { type Rgb, SEVERITY_COLORS, STATE_COLORS } from '../shared/palette.ts';
import type { ObjectColumns } from './object-columns.ts';

/**
 * What each object looks like on the map, kept as the binary attributes deck.gl draws from:
 * fill colour (RGBA bytes), radius (pixels), outline colour and width, one slot per object.
 *
 * Readings change a few slots each: `applyReadings` rewrites only those bytes and says which
 * attributes moved, so the layer re-uploads the changed buffers and nothing is rebuilt. The
 * meaning never rides on colour alone: a failed lamp and a full bin also grow and get a thick
 * outline, an offline object is hollow (an outline with no fill), and the legend names each.
 */

/** Health codes (MAP_HEALTH), lamp codes (MAP_LAMP). */
const HEALTH = { none: 0, ok: 1, stale: 2, offline: 3 } as const satisfies Record<(typeof MAP_HEALTH)[number], number>;
const LAMP = { none: 0, on: 1, off: 2, failed: 3 } as const satisfies Record<(typeof MAP_LAMP)[number], number>;

/** A bin counts as full past this fill, % (the server's KPI uses the same). */
export const BIN_FULL_PCT = 85;
export const BIN_HALF_PCT = 50;

/** What the legend shows, in order; `key` is the strings' key. */
export const OBJECT_LOOKS = {
  noDevice: { fill: STATE_COLORS.noDevice, outline: false, hollow: false },
  ok: { fill: STATE_COLORS.ok, outline: false, hollow: false },
  stale: { fill: STATE_COLORS.stale, outline: false, hollow: false },
  offline: { fill: STATE_COLORS.offline, outline: true, hollow: true },
  binHalf: { fill: SEVERITY_COLORS.minor, outline: false, hollow: false },
  binFull: { fill: SEVERITY_COLORS.critical, outline: true, hollow: false },
  lampOn: { fill: STATE_COLORS.lampOn, outline: false, hollow: false },
  lampOff: { fill: STATE_COLORS.lampOff, outline: false, hollow: false },
  lampFailed: { fill: STATE_COLORS.lampFailed, outline: true, hollow: false },
} as const satisfies Record<string, { fill: Rgb; outline: boolean; hollow: boolean }>;
export type ObjectLook = keyof typeof OBJECT_LOOKS;

/** Radius in pixels by object type: big things (stations, cabinets) bigger; the rest small enough for 100k. */
const TYPE_RADIUS: Record<string, number> = {
  air_station: 7,
  cabinet: 5,
  shelter: 4.5,
  bin: 4,
  meter_point: 3.5,
  pole: 3,
  manhole: 3,
  tree: 2.5,
};
const DEFAULT_RADIUS = 3;
/** An object that needs attention (failed, full) is drawn this much bigger. */
const ATTENTION_GROWTH = 1.6;
const OUTLINE_PX = 2;
const OUTLINE_RGB: Rgb = [255, 255, 255];

/** Metrics that change how an object looks. */
const AIR_METRICS = new Set(['pm25', 'pm10', 'no2', 'o3', 'so2', 'co2']);

export class ObjectStates {
  readonly fillColors: Uint8Array;
  readonly lineColors: Uint8Array;
  readonly radii: Float32Array;
  readonly lineWidths: Float32Array;
  private readonly health: Uint8Array;
  private readonly lamp: Uint8Array;
  private readonly fill: Float32Array;
  private readonly baseRadius: Float32Array;
  /** Newest air values of stations, by slot: what the air layer labels. */
  readonly air = new Map<number, Record<string, number>>();
  /** Bumped when the respective attribute changed: the layer's update triggers. */
  version = { fill: 0, line: 0, radius: 0, air: 0 };

  constructor(private readonly columns: ObjectColumns) {
    const n = columns.count;
    this.fillColors = new Uint8Array(n * 4);
    this.lineColors = new Uint8Array(n * 4);
    this.radii = new Float32Array(n);
    this.lineWidths = new Float32Array(n);
    this.health = new Uint8Array(n);
    this.lamp = new Uint8Array(n);
    this.fill = new Float32Array(n).fill(Number.NaN);
    this.baseRadius = new Float32Array(n);
    for (let i = 0; i < n; i++) {
      const type = columns.types[columns.typeOf[i] as number] as string;
      this.baseRadius[i] = TYPE_RADIUS[type] ?? DEFAULT_RADIUS;
      this.paint(i);
    }
  }

  /** The look of the object in `slot` now. */
  lookOf(slot: number): ObjectLook {
    const lamp = this.lamp[slot] as number;
    const fill = this.fill[slot] as number;
    const health = this.health[slot] as number;
    if (health === HEALTH.offline) return 'offline';
    if (lamp === LAMP.failed) return 'lampFailed';
    if (fill > BIN_FULL_PCT) return 'binFull';
    if (lamp === LAMP.on) return 'lampOn';
    if (lamp === LAMP.off) return 'lampOff';
    if (fill >= BIN_HALF_PCT) return 'binHalf';
    if (health === HEALTH.stale) return 'stale';
    if (health === HEALTH.ok) return 'ok';
    return 'noDevice';
  }

  /** The bin's fill level in %, if it reported one. */
  fillOf(slot: number): number | null {
    const f = this.fill[slot] as number;
    return Number.isNaN(f) ? null : f;
  }

  /**
   * The whole state from `GET /api/v1/map/state`. Ignored (false) when it refers to another
   * version of the objects: the page then loads the objects again.
   */
  setStates(state: MapState): boolean {
    if (state.objectsVersion !== this.columns.version) return false;
    const n = this.columns.count;
    const k = Math.min(state.index.length, state.health.length, state.fill.length, state.lamp.length);
    this.health.fill(0);
    this.lamp.fill(0);
    this.fill.fill(Number.NaN);
    for (let e = 0; e < k; e++) {
      const slot = state.index[e] as number;
      if (!(Number.isInteger(slot) && slot >= 0 && slot < n)) continue;
      const health = state.health[e] as number;
      const lamp = state.lamp[e] as number;
      const fill = state.fill[e] as number;
      this.health[slot] = health >= 0 && health < MAP_HEALTH.length ? health : 0;
      this.lamp[slot] = lamp >= 0 && lamp < MAP_LAMP.length ? lamp : 0;
      this.fill[slot] = Number.isFinite(fill) && fill >= 0 ? Math.min(fill, 100) : Number.NaN;
    }
    for (let i = 0; i < n; i++) this.paint(i);
    this.version.fill++;
    this.version.line++;
    this.version.radius++;
    return true;
  }

  /**
   * Readings from the stream: the objects they name change state and colour in place. Readings
   * of objects the map does not have (newer than its objects) are skipped. Returns how many
   * slots changed look.
   */
  applyReadings(batch: ReadingBatch): number {
    const { objects, metrics, objectIndex, metricIndex, values } = batch;
    const n = Math.min(objectIndex.length, metricIndex.length, values.length);
    // Slots of the batch's objects, looked up once per batch, not once per reading.
    const slots = new Int32Array(objects.length);
    for (let o = 0; o < objects.length; o++) slots[o] = this.columns.slotOf.get(objects[o] as string) ?? -1;
    let changed = 0;
    let radius = false;
    let line = false;
    let air = false;
    for (let r = 0; r < n; r++) {
      const o = objectIndex[r] as number;
      const slot = o < slots.length ? (slots[o] as number) : -1;
      if (slot < 0) continue;
      const metric = metrics[metricIndex[r] as number];
      const value = values[r] as number;
      if (!Number.isFinite(value)) continue;
      const before = this.lookOf(slot);
      // A reading means a device on the object just reported.
      this.health[slot] = HEALTH.ok;
      if (metric === 'fill_level') this.fill[slot] = Math.max(0, Math.min(100, value));
      else if (metric === 'lamp_failure') {
        if (value >= 0.5) this.lamp[slot] = LAMP.failed;
        else if (this.lamp[slot] === LAMP.failed) this.lamp[slot] = LAMP.none;
      } else if (metric === 'lamp_on' && this.lamp[slot] !== LAMP.failed)
        this.lamp[slot] = value >= 0.5 ? LAMP.on : LAMP.off;
      else if (metric !== undefined && AIR_METRICS.has(metric)) {
        const held = this.air.get(slot) ?? {};
        held[metric] = value;
        this.air.set(slot, held);
        air = true;
      }
      const after = this.lookOf(slot);
      if (after !== before) {
        const was = OBJECT_LOOKS[before];
        const now = OBJECT_LOOKS[after];
        this.paint(slot);
        changed++;
        if (was.outline !== now.outline || was.hollow !== now.hollow) {
          radius = true;
          line = true;
        }
      }
    }
    if (changed > 0) this.version.fill++;
    if (radius) this.version.radius++;
    if (line) this.version.line++;
    if (air) this.version.air++;
    return changed;
  }

  /** Writes the slot's attribute bytes from its state. */
  private paint(slot: number): void {
    const look = OBJECT_LOOKS[this.lookOf(slot)];
    const at = slot * 4;
    this.fillColors[at] = look.fill[0];
    this.fillColors[at + 1] = look.fill[1];
    this.fillColors[at + 2] = look.fill[2];
    this.fillColors[at + 3] = look.hollow ? 40 : 230;
    const outlineRgb = look.hollow ? look.fill : OUTLINE_RGB;
    this.lineColors[at] = outlineRgb[0];
    this.lineColors[at + 1] = outlineRgb[1];
    this.lineColors[at + 2] = outlineRgb[2];
    this.lineColors[at + 3] = look.outline ? 255 : 0;
    this.lineWidths[slot] = look.outline ? OUTLINE_PX : 0;
    const base = this.baseRadius[slot] as number;
    this.radii[slot] = look.outline && !look.hollow ? base * ATTENTION_GROWTH : base;
  }
}
