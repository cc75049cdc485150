import type { Queryable } from '../store/db.ts';

interface Latest {
  timeMs: number;
  fCnt: number | null;
  rssi: number | null;
  snr: number | null;
  battery: number | null;
  margin: number | null;
}

/**
 * Each device's last-seen, radio and battery figures, merged in memory and written every few
 * seconds rather than per uplink: a city's devices would otherwise cost one row update per
 * uplink. The figures are derivable from `uplinks`/`readings`, so a crash loses nothing
 * that matters; the next uplink restores them.
 */
export class DeviceState {
  private pending = new Map<string, Latest>();

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

  private merge(devEui: string, next: Latest): void {
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

  /** Writes what accumulated; on failure the figures are merged back for the next try. */
  async flush(db: Queryable): Promise<void> {
    if (this.pending.size === 0) return;
    const taken = this.pending;
    this.pending = new Map();
    const cols = { e: [] as string[], t: [] as number[], f: [] as (number | null)[], r: [] as (number | null)[] };
    const more = { s: [] as (number | null)[], b: [] as (number | null)[], m: [] as (number | null)[] };
    for (const [devEui, l] of taken) {
      cols.e.push(devEui);
      cols.t.push(l.timeMs);
      cols.f.push(l.fCnt);
      cols.r.push(l.rssi);
      more.s.push(l.snr);
      more.b.push(l.battery);
      more.m.push(l.margin);
    }
    try {
      await db.query(
        `UPDATE devices d SET
           last_seen = to_timestamp(u.t / 1000.0),
           f_cnt = coalesce(u.f, d.f_cnt), rssi = coalesce(u.r, d.rssi), snr = coalesce(u.s, d.snr),
           battery = coalesce(u.b, d.battery), margin = coalesce(u.m, d.margin)
         FROM unnest($1::text[], $2::float8[], $3::float8[], $4::float8[], $5::float8[], $6::float8[], $7::float8[])
           AS u(e, t, f, r, s, b, m)
         WHERE d.dev_eui = u.e AND (d.last_seen IS NULL OR d.last_seen <= to_timestamp(u.t / 1000.0))`,
        [cols.e, cols.t, cols.f, cols.r, more.s, more.b, more.m],
      );
    } catch (err) {
      for (const [devEui, l] of taken) this.merge(devEui, l);
      throw err;
    }
  }
}
