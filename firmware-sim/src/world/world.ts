import { isWeekend, localHour } from './local-time.ts';
import { drift } from './noise.ts';
import { dailyProfile } from './profile.ts';
import { SUNRISE_ALTITUDE, type SunTimes, sunTimes } from './sun.ts';

/** Where the demo city lies: Zaporizhzhia. */
export const CITY_SITE = { lat: 47.84, lon: 35.14 } as const;

/**
 * Photocells switch street lighting at a few lux, when the sun is about 3° below the horizon:
 * some 15-20 minutes after sunset here.
 */
export const LIGHTING_SUN_ALTITUDE = -3;

const DAY_MS = 86_400_000;
const YEAR_MS = 365.25 * DAY_MS;
const WORKDAY_TRAFFIC = dailyProfile(0.1, [
  [13, 0.8, 6],
  [8, 1.1, 1.2],
  [18, 1.1, 1.5],
]);
const WEEKEND_TRAFFIC = dailyProfile(0.1, [[14, 0.9, 5]]);

/** The key of city-wide noise (devices key theirs by device). */
const CITY_KEY = 0;
/** Noise channels, so weather and traffic drift independently. */
const CHANNEL = { temperature: 1, humidity: 2, pressure: 3, traffic: 4 } as const;

/**
 * What every device in the city shares: sun, weather and traffic, each a pure function of the
 * seed and the simulated time, so that two devices in one street agree and a replay repeats.
 */
export class World {
  private readonly sunCache = new Map<string, SunTimes>();

  constructor(
    readonly seed: number,
    readonly site: { lat: number; lon: number } = CITY_SITE,
  ) {}

  /** Sun crossing `altitude` degrees on the UTC day of `ms` (at 35° E both crossings fall in it). */
  sun(ms: number, altitude = SUNRISE_ALTITUDE): SunTimes {
    const key = `${Math.floor(ms / DAY_MS)}:${altitude}`;
    let times = this.sunCache.get(key);
    if (!times) {
      times = sunTimes(ms, this.site.lat, this.site.lon, altitude);
      this.sunCache.set(key, times);
    }
    return times;
  }

  /** Whether a photocell that switches `lagMs` late (or early, negative) has the lights on. */
  lightsOn(ms: number, lagMs = 0): boolean {
    const { rise, set } = this.sun(ms, LIGHTING_SUN_ALTITUDE);
    return ms < rise - lagMs || ms >= set + lagMs;
  }

  /**
   * Outdoor air temperature, °C: Zaporizhzhia's climate (January about −3 °C, July about
   * +23 °C), a daily swing peaking mid-afternoon, and weather fronts drifting over days.
   */
  temperature(ms: number): number {
    const season = 10 - 13 * Math.cos((2 * Math.PI * (ms - Date.UTC(2000, 0, 20))) / YEAR_MS);
    const daily = 4 * Math.cos((2 * Math.PI * (localHour(ms) - 15)) / 24);
    return season + daily + 4 * drift(this.seed, CITY_KEY, CHANNEL.temperature, ms, 3 * DAY_MS);
  }

  /** Relative humidity, %: high in the cool of the night, low in the afternoon. */
  humidity(ms: number): number {
    const daily = -15 * Math.cos((2 * Math.PI * (localHour(ms) - 15)) / 24);
    return clamp(68 + daily + 12 * drift(this.seed, CITY_KEY, CHANNEL.humidity, ms, 2 * DAY_MS), 20, 98);
  }

  /** Station pressure, hPa (the city stands some 50-100 m above sea level). */
  pressure(ms: number): number {
    return 1008 + 9 * drift(this.seed, CITY_KEY, CHANNEL.pressure, ms, 4 * DAY_MS);
  }

  /**
   * Road traffic relative to the day's average: morning and evening rush hours on workdays, a
   * late, flat day at weekends, next to nothing at night.
   */
  traffic(ms: number): number {
    const base = isWeekend(ms) ? 0.7 * WEEKEND_TRAFFIC(localHour(ms)) : WORKDAY_TRAFFIC(localHour(ms));
    return base * (1 + 0.1 * drift(this.seed, CITY_KEY, CHANNEL.traffic, ms, 3_600_000));
  }
}

export function clamp(value: number, min: number, max: number): number {
  return Math.min(max, Math.max(min, value));
}
