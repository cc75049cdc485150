import type { MapState } from '../contract/map.ts';
import { health } from '../live/health.ts';
import type { LiveState } from '../live/live-state.ts';
import type { MapColumns } from './map-columns.ts';

const HEALTH_CODE = { ok: 1, stale: 2, offline: 3 } as const;
const LAMP = { on: 1, off: 2, failed: 3 } as const;
/** How long one computed state serves (many wall screens ask at once; the state is a view). */
const MAX_AGE_MS = 1000;

/**
 * The live state of every object as the map colours it (contract/map.ts MapState), sparse and
 * aligned with the map's columns: per object with a device or a value, its health from its
 * devices (the best of them: one reporting device is enough to know the object), a bin's fill
 * and a lamp's state. Computed from the live state in memory (two passes over its columns),
 * at most once a second however many screens ask.
 */
export class MapStates {
  private cached: { at: number; version: string; state: MapState } | undefined;

  constructor(
    private readonly live: LiveState,
    private readonly columns: MapColumns,
  ) {}

  current(nowMs = Date.now()): MapState {
    const snapshot = this.columns.current();
    const c = this.cached;
    if (c && c.version === snapshot.answer.version && nowMs - c.at < MAX_AGE_MS && nowMs >= c.at) return c.state;
    const state = this.compute(nowMs);
    this.cached = { at: nowMs, version: snapshot.answer.version, state };
    return state;
  }

  private compute(nowMs: number): MapState {
    const snapshot = this.columns.current();
    const n = snapshot.answer.count;
    // Live slot -> column index, -2 not looked up yet, -1 not on the map.
    const indexOfSlot = new Int32Array(this.live.objectCount).fill(-2);
    const indexOf = (slot: number): number => {
      let i = indexOfSlot[slot] as number;
      if (i === -2) {
        i = snapshot.indexOf.get(this.live.numberOf(slot)) ?? -1;
        indexOfSlot[slot] = i;
      }
      return i;
    };
    const healthOf = new Uint8Array(n);
    const lampOf = new Uint8Array(n);
    const fillOf = new Float64Array(n).fill(-1);
    const failed = new Uint8Array(n);
    const touched = new Uint8Array(n);
    this.live.forEachDevice((slot, lastSeenMs, intervalMs) => {
      if (slot < 0) return;
      const i = indexOf(slot);
      if (i < 0) return;
      const code = lastSeenMs === 0 ? HEALTH_CODE.offline : HEALTH_CODE[health(lastSeenMs, intervalMs, nowMs)];
      const held = healthOf[i] as number;
      if (held === 0 || code < held) healthOf[i] = code;
      touched[i] = 1;
    });
    this.live.forEachValue((slot, metric, value) => {
      if (metric !== 'fill_level' && metric !== 'lamp_on' && metric !== 'lamp_failure') return;
      const i = indexOf(slot);
      if (i < 0 || !Number.isFinite(value)) return;
      touched[i] = 1;
      if (metric === 'fill_level') fillOf[i] = Math.max(0, Math.min(100, value));
      else if (metric === 'lamp_failure') failed[i] = value >= 0.5 ? 1 : 0;
      else if (lampOf[i] === 0) lampOf[i] = value >= 0.5 ? LAMP.on : LAMP.off;
    });
    const state: MapState = {
      objectsVersion: snapshot.answer.version,
      at: new Date(nowMs).toISOString(),
      index: [],
      health: [],
      fill: [],
      lamp: [],
    };
    for (let i = 0; i < n; i++) {
      if (touched[i] === 0) continue;
      state.index.push(i);
      state.health.push(healthOf[i] as number);
      state.fill.push(Math.round((fillOf[i] as number) * 10) / 10);
      state.lamp.push(failed[i] === 1 ? LAMP.failed : (lampOf[i] as number));
    }
    return state;
  }
}
