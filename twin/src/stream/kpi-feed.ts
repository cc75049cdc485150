import type { Queryable } from '@city/ingest';
import type { DistrictAggregates } from '../contract/live.ts';
import type { Kpis } from '../contract/stream.ts';

/** Active alarms by type, district and utility: the KPIs' one query per interval per process. */
interface OpenAlarmCount {
  type: string;
  district: string | null;
  utility: string | null;
  count: number;
}

// The alarms table belongs to twin/src/alarms; this read is the stream's only one of it.
async function openAlarmCounts(db: Queryable): Promise<OpenAlarmCount[]> {
  const { rows } = await db.query<OpenAlarmCount>(
    `SELECT alarm_type AS type, district, utility, count(*)::int AS count
       FROM alarms WHERE active GROUP BY alarm_type, district, utility`,
  );
  return rows;
}

/**
 * The wall's key figures: devices, bins and lamps from the live state's district aggregates, and
 * the active alarms counted in the database (every process's alarms, not only this one's).
 * `refresh` reads them; `kpis` gives them as a viewer may see them - a dispatcher's alarm counts
 * are of their utility and of none, as their events are.
 */
export class KpiFeed {
  private aggregates: DistrictAggregates | undefined;
  private alarms: OpenAlarmCount[] = [];

  constructor(
    private readonly db: Queryable,
    private readonly districtAggregates: () => DistrictAggregates,
  ) {}

  async refresh(): Promise<void> {
    this.alarms = await openAlarmCounts(this.db);
    this.aggregates = this.districtAggregates();
  }

  /** The figures as of the last refresh; undefined before the first. `utility`: a dispatcher's view (undefined: all). */
  kpis(utility?: string | null): Kpis | undefined {
    const aggregates = this.aggregates;
    if (!aggregates) return undefined;
    let total = 0;
    let online = 0;
    let binsOver85 = 0;
    let lampsFailed = 0;
    let worstAir: Kpis['worstAir'] = null;
    for (const d of aggregates.districts) {
      total += d.devices.total;
      online += d.devices.online;
      binsOver85 += d.bins.over85;
      lampsFailed += d.lights.failed;
      const band = d.air.band;
      if (d.district !== null && band !== null && (worstAir === null || band > worstAir.band))
        worstAir = { district: d.district, band };
    }
    const openAlarms: Kpis['openAlarms'] = { total: 0, byType: {}, byDistrict: {} };
    for (const a of this.alarms) {
      if (utility !== undefined && a.utility !== null && a.utility !== utility) continue;
      openAlarms.total += a.count;
      openAlarms.byType[a.type] = (openAlarms.byType[a.type] ?? 0) + a.count;
      const district = String(a.district);
      openAlarms.byDistrict[district] = (openAlarms.byDistrict[district] ?? 0) + a.count;
    }
    return {
      at: aggregates.at,
      devices: { total, online, onlinePct: total > 0 ? (100 * online) / total : null },
      openAlarms,
      binsOver85,
      lampsFailed,
      worstAir,
    };
  }
}
