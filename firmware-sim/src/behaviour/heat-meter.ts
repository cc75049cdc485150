import { cmi4111 } from '../encoders/elvaco/cmi4111.ts';
import { cmi4160 } from '../encoders/elvaco/cmi4160.ts';
import { HOUR, localHour } from '../world/local-time.ts';
import { hash01 } from '../world/noise.ts';
import { dailyProfile } from '../world/profile.ts';
import { clamp } from '../world/world.ts';
import { Battery } from './battery.ts';
import { adapter, type BaseState, type Behaviour, type DeviceContext, floorTo, round } from './behaviour.ts';

/** Heat carried by water: kWh per m³ per kelvin. */
const WATER_KWH_PER_M3_K = 1.163;
/** Indoor design temperature and the city's design outdoor temperature, °C. */
const INDOOR = 18;
const DESIGN_OUTDOOR = -22;
const CHANNEL = { load: 31 } as const;

export interface HeatMeterState extends BaseState {
  battery: Battery;
  /** kWh and m³ since installation, at `atMs` */
  energyKWh: number;
  volumeM3: number;
  atMs: number;
  /** the building's heat load at the design outdoor temperature, kW */
  designKW: number;
  serial: number;
}

/** Hot water for taps follows the household rhythm; heating itself barely does. */
const hotWater = dailyProfile(0.2, [
  [7.5, 1.5, 1.5],
  [20.5, 1.5, 2],
]);

/** What the heating substation delivers in one hour: load, supply temperature, cooling. */
function heatAt(s: HeatMeterState, ms: number, device: DeviceContext) {
  const outdoor = device.world.temperature(ms);
  const heatingLoad = clamp((INDOOR - outdoor) / (INDOOR - DESIGN_OUTDOOR), 0, 1);
  // Heating runs in the season only (outdoor below about 8 °C), with a night set-back.
  const h = localHour(ms);
  const setBack = h < 5 || h >= 23 ? 0.85 : 1;
  const space = outdoor < 8 ? heatingLoad * setBack : 0;
  const jitter = 0.9 + 0.2 * hash01(device.world.seed, device.key, CHANNEL.load, Math.floor(ms / HOUR));
  const powerKW = s.designKW * (space + 0.06 * hotWater(h)) * jitter;
  const supply = clamp(50 + (INDOOR - outdoor) * 1.1, 55, 95);
  const cooling = 12 + 10 * (powerKW / s.designKW);
  return { powerKW, supply, returnT: supply - cooling, flowM3h: powerKW / (WATER_KWH_PER_M3_K * cooling) };
}

export const heatMeter: Behaviour<HeatMeterState> = {
  kind: 'heat-meter',
  objectTypes: ['meter_point'],
  init(device, ms) {
    const { rng } = device;
    // A CMi4160 reads a flat's or a house's meter (its power field tops out at 65 kW); a CMi4111
    // a block of flats' substation meter.
    const designKW = device.model === cmi4160.model ? rng.int(8, 45) : rng.int(80, 550);
    return {
      battery: Battery.draw(rng, ms),
      energyKWh: rng.int(0, designKW * 4000),
      volumeM3: rng.decimal(0, designKW * 150, 3),
      atMs: ms,
      designKW,
      serial: rng.int(10_000_000, 99_999_999),
    };
  },
  advance(s, ms, device) {
    while (s.atMs < ms) {
      const end = Math.min(ms, (Math.floor(s.atMs / HOUR) + 1) * HOUR);
      const heat = heatAt(s, s.atMs, device);
      const hours = (end - s.atMs) / HOUR;
      s.energyKWh += heat.powerKW * hours;
      s.volumeM3 += heat.flowM3h * hours;
      s.atMs = end;
    }
  },
  models: [
    adapter(cmi4160, 'meter', [3600], (s, ms, d) => {
      const heat = heatAt(s, ms, d);
      return {
        energy: Math.floor(s.energyKWh),
        volume: floorTo(s.volumeM3, 3),
        power: round(heat.powerKW, 3),
        flow: round(heat.flowM3h, 3),
        flow_temperature: round(heat.supply, 1),
        return_temperature: round(heat.returnT, 1),
        serial: s.serial,
        error_flag: 0,
      };
    }),
    adapter(cmi4111, 'meter', [3600], (s, ms, d) => {
      const heat = heatAt(s, ms, d);
      return {
        energy: Math.floor(s.energyKWh),
        volume: floorTo(s.volumeM3, 2),
        power: round(heat.powerKW, 1),
        flow: round(heat.flowM3h, 3),
        forward_temperature: round(heat.supply, 1),
        return_temperature: round(heat.returnT, 1),
        serial_from_message: s.serial,
        error_flag: 0,
      };
    }),
  ],
};
