import { pulse } from '../encoders/adeunis/pulse.ts';
import { type QalcosonicW1Values, qalcosonicW1 } from '../encoders/axioma/qalcosonic-w1.ts';
import { ems } from '../encoders/elsys/ems.ts';
import { em300Di } from '../encoders/milesight-iot/em300-di.ts';
import { HOUR, localHour } from '../world/local-time.ts';
import { hash01, occasional } from '../world/noise.ts';
import { dailyProfile } from '../world/profile.ts';
import { Battery } from './battery.ts';
import { adapter, type BaseState, type Behaviour, type DeviceContext, round } from './behaviour.ts';

/** Pulse-output water meters give one pulse per 10 litres. */
const LITRES_PER_PULSE = 10;
/** Hour boundaries of history a meter keeps: a day, as the Qalcosonic's daily frame needs. */
const HISTORY_HOURS = 24;
/** The Qalcosonic's hourly delta is 14 bits of litres. */
const MAX_HOURLY_LITRES = 16_383;
const CHANNEL = { use: 21, backflow: 22 } as const;

export interface WaterMeterState extends BaseState {
  battery: Battery;
  /** m³ through the meter since installation, at `atMs` */
  indexM3: number;
  atMs: number;
  /** index at each of the last hour boundaries, oldest first */
  hourly: number[];
  /** average use, m³ a day (a flat: 0.2-0.5; a block of flats: several m³) */
  dailyM3: number;
  /** a leak's steady flow, m³/h: never lets the night flow reach zero */
  leakM3h: number;
  /** scenario levers: a burst main's flow through the meter, and the meter's burst alarm */
  burstM3h: number;
  burst: boolean;
  /** EMS: the pulse counter at the previous uplink, since it reports pulses per interval */
  reportedPulses: number;
  /** Adeunis: frames sent, for its 3-bit frame counter */
  frames: number;
}

/** Households draw water for breakfast and in the evening; next to nothing at night. */
const use = dailyProfile(0.15, [
  [7.5, 2, 1.3],
  [13, 0.6, 3],
  [20.5, 1.5, 2],
]);

/** Flow in the hour starting at hour index `hour` (hours since the epoch), m³/h. */
function flowM3h(s: WaterMeterState, hour: number, device: DeviceContext): number {
  const jitter = 0.6 + 0.8 * hash01(device.world.seed, device.key, CHANNEL.use, hour);
  return (s.dailyM3 / 24) * use(localHour(hour * HOUR)) * jitter + s.leakM3h + s.burstM3h;
}

function leaking(s: WaterMeterState): boolean {
  return s.leakM3h > 0 || s.burstM3h > 0;
}

function backflow(ms: number, device: DeviceContext): boolean {
  return occasional(device.world.seed, device.key, CHANNEL.backflow, ms, 0.001, 2);
}

const pulses = (indexM3: number) => Math.floor((indexM3 * 1000) / LITRES_PER_PULSE + 1e-6);
const litres = (indexM3: number) => Math.floor(indexM3 * 1000 + 1e-6);

/** Axioma status codes: 0xA0 burst, 0x60 backflow, 0x20 leakage; bit 0x04 low battery. */
function qalcosonicStatus(s: WaterMeterState, ms: number, device: DeviceContext): number {
  const code = s.burst ? 0xa0 : backflow(ms, device) ? 0x60 : leaking(s) ? 0x20 : 0;
  return code | (s.battery.percent(ms) < 10 ? 0x04 : 0);
}

/** The daily frame: the index at the oldest kept hour boundary, then each hour's consumption. */
function dailyFrame(s: WaterMeterState) {
  const marks = s.hourly.slice(-HISTORY_HOURS).map(litres);
  const deltas = Object.fromEntries(
    marks
      .slice(1)
      .map((mark, i) => [`delta_${i + 1}_m3`, Math.min(MAX_HOURLY_LITRES, mark - (marks[i] as number)) / 1000]),
  );
  return { log_volume_m3: (marks[0] as number) / 1000, deltas };
}

export const waterMeter: Behaviour<WaterMeterState> = {
  kind: 'water-meter',
  objectTypes: ['meter_point'],
  init(device, ms) {
    const { rng } = device;
    const building = rng.chance(0.4);
    const s: WaterMeterState = {
      battery: Battery.draw(rng, ms),
      indexM3: rng.decimal(0, building ? 40_000 : 2_000, 3),
      atMs: ms - HISTORY_HOURS * HOUR,
      hourly: [],
      dailyM3: building ? rng.decimal(3, 30, 2) : rng.decimal(0.15, 0.6, 2),
      leakM3h: rng.chance(0.03) ? rng.decimal(0.005, 0.06, 3) : 0,
      burstM3h: 0,
      burst: false,
      reportedPulses: 0,
      frames: 0,
    };
    // Run the day before the first uplink, so the first daily frame has its history.
    waterMeter.advance(s, ms, device);
    s.reportedPulses = pulses(s.indexM3);
    return s;
  },
  advance(s, ms, device) {
    while (s.atMs < ms) {
      const hour = Math.floor(s.atMs / HOUR);
      const hourEnd = (hour + 1) * HOUR;
      const end = Math.min(ms, hourEnd);
      s.indexM3 += (flowM3h(s, hour, device) * (end - s.atMs)) / HOUR;
      s.atMs = end;
      if (end === hourEnd) {
        s.hourly.push(s.indexM3);
        if (s.hourly.length > HISTORY_HOURS) s.hourly.shift();
      }
    }
  },
  models: [
    adapter(qalcosonicW1, 'meter', [86_400], (s, ms, d) => {
      const { log_volume_m3, deltas } = dailyFrame(s);
      return {
        ...deltas,
        timestamp_unix: Math.floor(ms / 1000),
        status: qalcosonicStatus(s, ms, d),
        log_volume_m3,
        history_multiplier: 0,
      } as QalcosonicW1Values;
    }),
    adapter(pulse, 'meter', [3600], (s, ms) => {
      const now = pulses(s.indexM3);
      const history = s.hourly.slice(-4).reverse().map(pulses);
      return {
        bytes: {
          status: { frameCounter: s.frames++ % 8, lowBattery: s.battery.percent(ms) < 10, configurationDone: false },
          timestamp: new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('Z', ''),
          counterValues: [now, ...history],
        },
      };
    }),
    adapter(em300Di, 'meter', [1800, 3600], (s, ms) => ({
      battery: s.battery.percent(ms),
      pulse: pulses(s.indexM3),
    })),
    // An Elsys EMS in the meter pit: counts the meter's pulses and has a probe on the pit floor.
    adapter(ems, 'meter', [3600], (s, ms, d) => {
      const now = pulses(s.indexM3);
      const since = Math.min(0xffff, now - s.reportedPulses);
      s.reportedPulses = now;
      return {
        temperature: round(10 + 0.3 * (d.world.temperature(ms) - 10), 1),
        humidity: Math.round(80 + 10 * hash01(d.key, Math.floor(ms / HOUR))),
        pulse1: since,
        waterleak: s.burstM3h > 0 ? d.rng.int(80, 255) : 0,
      };
    }),
  ],
};
