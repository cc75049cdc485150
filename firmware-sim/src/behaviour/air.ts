import { findDistrict } from '../city/districts.ts';
import { dlPm } from '../encoders/decentlab/dl-pm.ts';
import { laq4 } from '../encoders/dragino/laq4.ts';
import { ersCo2 } from '../encoders/elsys/ers-co2.ts';
import { am307 } from '../encoders/milesight-iot/am307.ts';
import { am319 } from '../encoders/milesight-iot/am319.ts';
import { seedFrom } from '../random.ts';
import { HOUR, localHour } from '../world/local-time.ts';
import { drift, hash01 } from '../world/noise.ts';
import { clamp } from '../world/world.ts';
import { Battery } from './battery.ts';
import { adapter, type BaseState, type Behaviour, type DeviceContext, round } from './behaviour.ts';

const DAY = 24 * HOUR;
const CHANNEL = { district: 51, site: 52 } as const;

/** A smog episode over a station: PM2.5 rises by up to `peakPm25` µg/m³ between `fromMs` and `toMs`. */
export interface SmogEpisode {
  fromMs: number;
  toMs: number;
  peakPm25: number;
}

export interface AirState extends BaseState {
  battery: Battery;
  /** the district's industry and how exposed this site is (a kerbside post reads more than a park) */
  exposure: number;
  districtKey: number;
  episodes: SmogEpisode[];
}

/** Episodes build up and clear over about three hours (inversions form and break slowly). */
function episodeLevel(s: AirState, ms: number): number {
  const ramp = 3 * HOUR;
  return s.episodes.reduce((sum, e) => {
    const rise = clamp((ms - e.fromMs) / ramp, 0, 1);
    const fall = clamp((e.toMs - ms) / ramp, 0, 1);
    return sum + e.peakPm25 * Math.min(rise, fall);
  }, 0);
}

/** What the station breathes: particulates from traffic, heating and industry, plus gases. */
function air(s: AirState, ms: number, device: DeviceContext) {
  const { world } = device;
  const traffic = world.traffic(ms);
  const outdoor = world.temperature(ms);
  // Stoves and boilers add dust in the cold; still night air keeps it near the ground.
  const heating = clamp((12 - outdoor) / 20, 0, 1);
  const h = localHour(ms);
  const stillNight = h < 6 || h >= 21 ? 1.25 : 1;
  const weather = 1 + 0.35 * drift(world.seed, s.districtKey, CHANNEL.district, ms, 2 * DAY);
  const smog = episodeLevel(s, ms);
  const pm25 = (6 + 6 * heating + 5 * traffic) * s.exposure * stillNight * weather + smog;
  const pm10 = pm25 * 1.6 + 4 * traffic * s.exposure;
  return {
    pm1: pm25 * 0.7,
    pm25,
    pm4: pm25 * 1.15,
    pm10,
    co2: 420 + 45 * traffic * s.exposure + 0.4 * smog,
    tvoc: 60 + 110 * traffic * s.exposure + smog,
    hcho: 0.01 + 0.012 * traffic,
    temperature: outdoor,
    humidity: world.humidity(ms),
    pressure: world.pressure(ms),
    traffic,
    daylight: !world.lightsOn(ms),
  };
}

function particulates(a: ReturnType<typeof air>) {
  const m = (value: number) => ({ value: round(value, 1) });
  // Number concentrations (1/cm³) follow the masses: most particles are the smallest ones.
  const n05 = a.pm1 * 6;
  const n1 = n05 + a.pm1 * 0.8;
  const n25 = n1 + (a.pm25 - a.pm1) * 0.1;
  const n4 = n25 + (a.pm4 - a.pm25) * 0.05;
  return {
    pm1_0_mass_concentration: m(a.pm1),
    pm2_5_mass_concentration: m(a.pm25),
    pm4_mass_concentration: m(a.pm4),
    pm10_mass_concentration: m(a.pm10),
    typical_particle_size: { value: Math.round(450 + 150 * (a.pm10 / (a.pm10 + 50))) },
    pm0_5_number_concentration: m(n05),
    pm1_0_number_concentration: m(n1),
    pm2_5_number_concentration: m(n25),
    pm4_number_concentration: m(n4),
    pm10_number_concentration: m(n4 + (a.pm10 - a.pm4) * 0.02),
  };
}

const deviceId = (device: DeviceContext) => Number.parseInt(device.devEui.slice(-4), 16);

export const airStation: Behaviour<AirState> = {
  kind: 'air',
  objectTypes: ['air_station'],
  init(device, ms) {
    const { mount, rng, world } = device;
    const site = 0.8 + 0.4 * hash01(world.seed, device.key, CHANNEL.site);
    return {
      battery: Battery.draw(rng, ms),
      exposure: (findDistrict(mount.district)?.industry ?? 1) * site,
      // Stations in one district share its weather, so they rise and fall together.
      districtKey: seedFrom(`district:${mount.district}`),
      episodes: [],
    };
  },
  // Air is a function of the moment: nothing accumulates between readings.
  advance: () => {},
  models: [
    adapter(am307, 'air', [300, 600], (s, ms, d) => {
      const a = air(s, ms, d);
      return {
        battery: s.battery.percent(ms),
        temperature: round(a.temperature, 1),
        humidity: round(a.humidity * 2) / 2,
        activity: Math.round(a.traffic * 30 * d.rng.decimal(0.7, 1.3, 2)),
        co2: Math.round(a.co2),
        tvoc: Math.round(a.tvoc),
        pressure: round(a.pressure, 1),
      };
    }),
    adapter(am319, 'air', [300, 600], (s, ms, d) => {
      const a = air(s, ms, d);
      return {
        battery: s.battery.percent(ms),
        temperature: round(a.temperature, 1),
        humidity: round(a.humidity * 2) / 2,
        activity: a.traffic > 0.6 ? ('trigger' as const) : ('idle' as const),
        light_level: a.daylight ? 4 : 1,
        co2: Math.round(a.co2),
        tvoc: Math.round(a.tvoc),
        pressure: round(a.pressure, 1),
        hcho: round(a.hcho, 2),
        'pm2.5': Math.round(a.pm25),
        pm10: Math.round(a.pm10),
      };
    }),
    adapter(ersCo2, 'air', [600], (s, ms, d) => {
      const a = air(s, ms, d);
      return {
        temperature: round(a.temperature, 1),
        humidity: Math.round(a.humidity),
        light: a.daylight ? d.rng.int(800, 2000) : d.rng.int(5, 30),
        motion: Math.min(255, Math.round(a.traffic * 15)),
        co2: Math.round(a.co2),
      };
    }),
    adapter(dlPm, 'air', [600], (s, ms, d) => {
      const a = air(s, ms, d);
      return {
        device_id: deviceId(d),
        battery_voltage: { value: s.battery.volts(ms, 3) },
        ...particulates(a),
        air_temperature: { value: a.temperature },
        air_humidity: { value: a.humidity },
        barometric_pressure: { value: Math.round(a.pressure * 50) * 2 },
      };
    }),
    adapter(laq4, 'air', [300, 600], (s, ms, d) => {
      const a = air(s, ms, d);
      return {
        Bat_V: s.battery.volts(ms, 3),
        Work_mode: 'CO2',
        Alarm_status: a.co2 > 1000 ? 'TRUE' : 'FALSE',
        TVOC_ppb: Math.round(a.tvoc),
        CO2_ppm: Math.round(a.co2),
        TempC_SHT: round(a.temperature, 1),
        Hum_SHT: round(a.humidity, 1),
      };
    }),
  ],
};
