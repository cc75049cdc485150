import { dlMbx } from '../encoders/decentlab/dl-mbx.ts';
import { em310Udl } from '../encoders/milesight-iot/em310-udl.ts';
import { em400Udl } from '../encoders/milesight-iot/em400-udl.ts';
import { em500Udl } from '../encoders/milesight-iot/em500-udl.ts';
import { wilsenSonicLevel } from '../encoders/pepperl-fuchs/wilsen-sonic-level.ts';
import { Random, seedFrom } from '../random.ts';
import { atLocal, HOUR, isWeekend, localDayNumber, localHour } from '../world/local-time.ts';
import { hash01, occasional } from '../world/noise.ts';
import { dailyProfile } from '../world/profile.ts';
import { clamp } from '../world/world.ts';
import { Battery } from './battery.ts';
import { adapter, type BaseState, type Behaviour, type DeviceContext, round } from './behaviour.ts';

/** The bin depth ingest assumes when an object has none: a 1.1 m³ street container. */
export const DEFAULT_BIN_DEPTH_MM = 1200;

const SLOT_MS = 15 * 60_000;
const CHANNEL = { fill: 11, residual: 12, tilt: 13, fire: 14 } as const;
/** Minutes a collection crew spends per stop on its route. */
const MINUTES_PER_STOP = 4;

export interface BinState extends BaseState {
  battery: Battery;
  depthMm: number;
  /** %, 0 empty ... 100 full (and overflowing) */
  fill: number;
  /** when `fill` was last brought up to date */
  atMs: number;
  /** average fill a day brings, % */
  dailyFill: number;
  /** collected every `everyDays` days (on days where day % everyDays = phase), at `collectionHour` local time */
  everyDays: number;
  phase: number;
  collectionHour: number;
  /** scenario levers: fill-rate multiplier, and no collection before this time */
  boost: number;
  noCollectionUntilMs: number;
}

/** People throw most away mid-morning and after work; almost nothing at night. */
const rhythm = dailyProfile(0.15, [
  [10, 1.3, 2.5],
  [19, 1.6, 2.5],
]);

function collectionTime(s: BinState, day: number): number | undefined {
  return day % s.everyDays === s.phase ? atLocal(day, s.collectionHour) : undefined;
}

function tilted(ms: number, device: DeviceContext): boolean {
  return occasional(device.world.seed, device.key, CHANNEL.tilt, ms, 0.004, 30);
}

/** A smouldering fire: rare, but the reason bins measure temperature. */
function burning(ms: number, device: DeviceContext): boolean {
  return occasional(device.world.seed, device.key, CHANNEL.fire, ms, 0.0005, 3);
}

function temperature(ms: number, device: DeviceContext): number {
  if (burning(ms, device)) return 65 + 20 * hash01(device.key, Math.floor(ms / HOUR));
  const sunOnLid = Math.max(0, Math.sin((Math.PI * (localHour(ms) - 7)) / 12));
  return device.world.temperature(ms) + 4 * sunOnLid;
}

/** The ultrasonic reading: sensor to rubbish surface, a few millimetres of echo noise. */
function distanceMm(s: BinState, device: DeviceContext): number {
  return Math.round(clamp(s.depthMm * (1 - s.fill / 100) + device.rng.int(-5, 5), 0, s.depthMm));
}

const deviceId = (device: DeviceContext) => Number.parseInt(device.devEui.slice(-4), 16);

export const bin: Behaviour<BinState> = {
  kind: 'bin',
  objectTypes: ['bin'],
  init(device, ms) {
    const { rng, mount } = device;
    const depth = mount.props.depthMm;
    // Bins on one route share its schedule and are emptied one after another along it; an
    // imported city without routes gets a route per bin.
    const route = typeof mount.props.route === 'string' ? mount.props.route : mount.number;
    const stop = typeof mount.props.routeStop === 'number' ? mount.props.routeStop : 0;
    const routeRng = new Random(seedFrom(`${device.world.seed}:${route}`));
    const everyDays = routeRng.pick([1, 1, 2, 3]);
    return {
      battery: Battery.draw(rng, ms),
      depthMm: typeof depth === 'number' && depth > 0 ? depth : DEFAULT_BIN_DEPTH_MM,
      fill: rng.decimal(0, 60, 1),
      atMs: ms,
      // A bin collected every third day must hold three days of rubbish, so it gets less a day.
      dailyFill: rng.int(40, 90) / everyDays,
      everyDays,
      phase: routeRng.int(0, everyDays - 1),
      collectionHour: routeRng.int(5, 8) + (stop * MINUTES_PER_STOP) / 60,
      boost: 1,
      noCollectionUntilMs: 0,
    };
  },
  advance(s, ms, device) {
    const weekendFactor = (t: number) => (isWeekend(t) ? 1.25 : 1);
    while (s.atMs < ms) {
      const slotEnd = Math.min(ms, (Math.floor(s.atMs / SLOT_MS) + 1) * SLOT_MS);
      const slot = Math.floor(s.atMs / SLOT_MS);
      const perMs = s.dailyFill / (24 * HOUR);
      const jitter = 0.5 + hash01(device.world.seed, device.key, CHANNEL.fill, slot);
      const rate = perMs * rhythm(localHour(s.atMs)) * weekendFactor(s.atMs) * jitter * s.boost;
      s.fill = Math.min(100, s.fill + rate * (slotEnd - s.atMs));
      const collected = collectionTime(s, localDayNumber(slotEnd));
      if (collected !== undefined && collected > s.atMs && collected <= slotEnd && collected >= s.noCollectionUntilMs) {
        s.fill = 4 * hash01(device.world.seed, device.key, CHANNEL.residual, slot);
      }
      s.atMs = slotEnd;
    }
  },
  models: [
    adapter(em310Udl, 'bin', [600, 1200, 1800], (s, ms, d) => ({
      battery: s.battery.percent(ms),
      distance: distanceMm(s, d),
      tilt: tilted(ms, d) ? ('tilt' as const) : ('normal' as const),
    })),
    adapter(em400Udl, 'bin', [600, 1200], (s, ms, d) => ({
      battery: s.battery.percent(ms),
      temperature: round(temperature(ms, d), 1),
      distance: distanceMm(s, d),
      position: tilted(ms, d) ? ('tilt' as const) : ('normal' as const),
    })),
    adapter(em500Udl, 'bin', [1200, 1800], (s, ms, d) => ({
      battery: s.battery.percent(ms),
      distance: distanceMm(s, d),
    })),
    adapter(wilsenSonicLevel, 'bin', [900, 1800], (s, ms, d) => ({
      proxx_mm: distanceMm(s, d),
      fillinglvl: Math.round(s.fill),
      temp: round(temperature(ms, d), 1),
      battery_vol: s.battery.volts(ms, 1),
    })),
    adapter(dlMbx, 'bin', [600, 900, 1800], (s, ms, d) => ({
      device_id: deviceId(d),
      distance: { value: distanceMm(s, d) },
      number_of_valid_samples: { value: d.rng.int(8, 10) },
      battery_voltage: { value: s.battery.volts(ms, 3) },
    })),
  ],
};
