import type { Queryable } from '../store/db.ts';
import { isDataError } from '../store/db-errors.ts';
import { type DeviceLatest, updateDeviceState } from '../store/devices-table.ts';

/**
 * Clocks of network servers and of this host differ a little. A frame dated further ahead is
 * stored, but does not become the device's last-seen time or battery: later frames, dated
 * correctly, would look older than it and be ignored until the clock caught up.
 */
const CLOCK_SKEW_MS = 60_000;

/**
 * Each device's last-seen, radio and battery figures, merged in memory and written every few
 * seconds rather than per uplink: a city's devices would otherwise cost one row update per
 * uplink. The figures are derivable from `uplinks`/`readings`, so a crash loses nothing
 * that matters; the next uplink restores them.
 */
export class DeviceState {
  private pending = new Map<string, DeviceLatest>();

  uplink(
    devEui: string,
    timeMs: number,
    fCnt: number,
    rssi: number | null,
    snr: number | null,
    battery: number | null,
  ) {
    this.merge(devEui, { timeMs, fCnt, rssi, snr, battery, margin: null });
  }

  status(devEui: string, timeMs: number, battery: number | null, margin: number) {
    this.merge(devEui, { timeMs, fCnt: null, rssi: null, snr: null, battery, margin });
  }

  get size(): number {
    return this.pending.size;
  }

  private merge(devEui: string, next: DeviceLatest): void {
    if (next.timeMs > Date.now() + CLOCK_SKEW_MS) return;
    const prev = this.pending.get(devEui);
    if (!prev) {
      this.pending.set(devEui, next);
      return;
    }
    // Merged in place: the map lives long, and a new object per uplink would be garbage for
    // the old generation's collector.
    const newer = next.timeMs >= prev.timeMs;
    const recent = newer ? next : prev;
    const older = newer ? prev : next;
    prev.fCnt = recent.fCnt ?? older.fCnt;
    prev.rssi = recent.rssi ?? older.rssi;
    prev.snr = recent.snr ?? older.snr;
    prev.battery = recent.battery ?? older.battery;
    prev.margin = recent.margin ?? older.margin;
    prev.timeMs = recent.timeMs;
  }

  /**
   * Writes what accumulated; on failure the figures are merged back for the next try, unless
   * the database refused them as data: then they are dropped, as the next uplink restores them.
   */
  async flush(db: Queryable): Promise<void> {
    if (this.pending.size === 0) return;
    const taken = this.pending;
    this.pending = new Map();
    try {
      await updateDeviceState(db, taken);
    } catch (err) {
      if (!isDataError(err)) for (const [devEui, l] of taken) this.merge(devEui, l);
      throw err;
    }
  }
}
