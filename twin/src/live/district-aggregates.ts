import {
  type DistrictAggregate,
  type DistrictAggregates,
  EAQI_POLLUTANTS,
  type EaqiPollutant,
} from '../contract/live.ts';
import type { ObjectLookup } from '../objects/object-record.ts';
import { eaqiBand, eaqiLevel } from './eaqi.ts';
import { health } from './health.ts';
import type { LiveState } from './live-state.ts';

/** A bin counts as full past this fill level, %. */
export const BIN_FULL_PCT = 85;
/** Air values older than this do not colour a district: the index is of the current hour. */
export const AIR_FRESH_MS = 3 * 3_600_000;
/** How long a district of an object is taken as known before the registry is asked again. */
const DISTRICT_TTL_MS = 60_000;

const POLLUTANTS = new Set<string>(EAQI_POLLUTANTS);

interface Accumulator {
  air: Map<EaqiPollutant, { sum: number; stations: number }>;
  stations: Set<number>;
  devices: { total: number; ok: number; stale: number; offline: number };
  bins: { total: number; over85: number };
  lights: { total: number; failed: number };
}

/**
 * The districts' figures from the live state, for the wall's KPIs and air map: the EAQI band of
 * each district from its stations (per pollutant the mean of the stations' fresh values, then the
 * worst pollutant's band), devices online, bins over 85 %, lamps failed. Computed from the live
 * state when asked, at most once per `maxAgeMs`: the state is the live part, the figures a view of
 * it, and devices go offline with time alone, which no reading announces.
 */
export class DistrictAggregator {
  private cached: DistrictAggregates | undefined;
  private cachedAt = 0;
  private districts: (string | null | undefined)[] = [];
  private districtsAt = 0;

  constructor(
    private readonly state: LiveState,
    private readonly objects: ObjectLookup,
    private readonly maxAgeMs = 1000,
  ) {}

  aggregates(nowMs = Date.now()): DistrictAggregates {
    if (this.cached && nowMs - this.cachedAt < this.maxAgeMs && nowMs >= this.cachedAt) return this.cached;
    this.cached = this.compute(nowMs);
    this.cachedAt = nowMs;
    return this.cached;
  }

  private compute(nowMs: number): DistrictAggregates {
    if (nowMs - this.districtsAt > DISTRICT_TTL_MS || nowMs < this.districtsAt) {
      this.districts = [];
      this.districtsAt = nowMs;
    }
    const by = new Map<string | null, Accumulator>();
    const of = (object: number): Accumulator => {
      const district = this.districtOf(object);
      let acc = by.get(district);
      if (!acc) {
        acc = {
          air: new Map(),
          stations: new Set(),
          devices: { total: 0, ok: 0, stale: 0, offline: 0 },
          bins: { total: 0, over85: 0 },
          lights: { total: 0, failed: 0 },
        };
        by.set(district, acc);
      }
      return acc;
    };
    this.state.forEachValue((object, metric, value, timeMs) => {
      if (metric === 'fill_level') {
        const bins = of(object).bins;
        bins.total++;
        if (value > BIN_FULL_PCT) bins.over85++;
      } else if (metric === 'lamp_failure') {
        const lights = of(object).lights;
        lights.total++;
        if (value >= 0.5) lights.failed++;
      } else if (POLLUTANTS.has(metric) && nowMs - timeMs <= AIR_FRESH_MS) {
        const acc = of(object);
        const pollutant = metric as EaqiPollutant;
        const sum = acc.air.get(pollutant) ?? { sum: 0, stations: 0 };
        sum.sum += value;
        sum.stations++;
        acc.air.set(pollutant, sum);
        acc.stations.add(object);
      }
    });
    this.state.forEachDevice((object, lastSeenMs, intervalMs) => {
      if (object < 0) return;
      const devices = of(object).devices;
      devices.total++;
      devices[lastSeenMs === 0 ? 'offline' : health(lastSeenMs, intervalMs, nowMs)]++;
    });
    const districts = [...by].map(([district, acc]) => aggregate(district, acc));
    // By code, objects outside every district last.
    districts.sort((a, b) =>
      a.district === b.district
        ? 0
        : a.district === null
          ? 1
          : b.district === null
            ? -1
            : a.district < b.district
              ? -1
              : 1,
    );
    return { at: new Date(nowMs).toISOString(), districts };
  }

  private districtOf(object: number): string | null {
    let district = this.districts[object];
    if (district === undefined) {
      district = this.objects.get(this.state.numberOf(object))?.district ?? null;
      this.districts[object] = district;
    }
    return district;
  }
}

function aggregate(district: string | null, acc: Accumulator): DistrictAggregate {
  const pollutants: DistrictAggregate['air']['pollutants'] = {};
  let worst: { band: number; pollutant: EaqiPollutant } | undefined;
  for (const pollutant of EAQI_POLLUTANTS) {
    const sum = acc.air.get(pollutant);
    if (!sum) continue;
    const mean = sum.sum / sum.stations;
    const band = eaqiBand(pollutant, mean);
    pollutants[pollutant] = { mean, band, stations: sum.stations };
    if (!worst || band > worst.band) worst = { band, pollutant };
  }
  const { total, ok, stale, offline } = acc.devices;
  return {
    district,
    air: {
      band: worst?.band ?? null,
      level: worst ? eaqiLevel(worst.band) : null,
      pollutant: worst?.pollutant ?? null,
      stations: acc.stations.size,
      pollutants,
    },
    devices: { total, online: ok + stale, stale, offline, onlinePct: total > 0 ? (100 * (ok + stale)) / total : null },
    bins: acc.bins,
    lights: acc.lights,
  };
}
