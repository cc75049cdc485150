import type { Random } from '../../random.ts';
import type { Encoder } from '../encoder.ts';
import { type DecentlabValues, encodeDecentlab, type Measurement, type SensorGroup } from './protocol-v2.ts';

export interface DlPmValues extends DecentlabValues {
  /** V, 0.001 steps */
  battery_voltage?: Measurement;
  /** µg/m³, 0.1 steps */
  pm1_0_mass_concentration?: Measurement;
  pm2_5_mass_concentration?: Measurement;
  pm4_mass_concentration?: Measurement;
  pm10_mass_concentration?: Measurement;
  /** nm */
  typical_particle_size?: Measurement;
  /** 1/cm³, 0.1 steps */
  pm0_5_number_concentration?: Measurement;
  pm1_0_number_concentration?: Measurement;
  pm2_5_number_concentration?: Measurement;
  pm4_number_concentration?: Measurement;
  pm10_number_concentration?: Measurement;
  /** °C, SHT21 scale: 175.72·x/65536 − 46.85 */
  air_temperature?: Measurement;
  /** %, 125·x/65536 − 6 */
  air_humidity?: Measurement;
  /** Pa, 2 Pa steps */
  barometric_pressure?: Measurement;
}

const tenths = (v: number) => v * 10;
const sht21Temperature = {
  toWire: (c: number) => ((c + 46.85) * 65536) / 175.72,
  fromWire: (x: number) => (175.72 * x) / 65536 - 46.85,
};
const sht21Humidity = {
  toWire: (h: number) => ((h + 6) * 65536) / 125,
  fromWire: (x: number) => (125 * x) / 65536 - 6,
};

const GROUPS: readonly SensorGroup<DlPmValues>[] = [
  [['battery_voltage', (v) => v * 1000]],
  [
    ['pm1_0_mass_concentration', tenths],
    ['pm2_5_mass_concentration', tenths],
    ['pm4_mass_concentration', tenths],
    ['pm10_mass_concentration', tenths],
    ['typical_particle_size', (v) => v],
    ['pm0_5_number_concentration', tenths],
    ['pm1_0_number_concentration', tenths],
    ['pm2_5_number_concentration', tenths],
    ['pm4_number_concentration', tenths],
    ['pm10_number_concentration', tenths],
  ],
  [
    ['air_temperature', sht21Temperature.toWire],
    ['air_humidity', sht21Humidity.toWire],
  ],
  [['barometric_pressure', (v) => v / 2]],
];

const m = (value: number): Measurement => ({ value });

function particulates(rng: Random): Partial<DlPmValues> {
  // Cumulative size classes: PM1.0 ⊆ PM2.5 ⊆ PM4 ⊆ PM10, so each is at least the previous one.
  const pm1 = rng.decimal(0, 80, 1);
  const pm25 = rng.decimal(pm1, pm1 + 40, 1);
  const pm4 = rng.decimal(pm25, pm25 + 20, 1);
  const pm10 = rng.decimal(pm4, pm4 + 40, 1);
  const n05 = rng.decimal(0, 300, 1);
  const n1 = rng.decimal(n05, n05 + 60, 1);
  const n25 = rng.decimal(n1, n1 + 5, 1);
  const n4 = rng.decimal(n25, n25 + 2, 1);
  const n10 = rng.decimal(n4, n4 + 2, 1);
  return {
    pm1_0_mass_concentration: m(pm1),
    pm2_5_mass_concentration: m(pm25),
    pm4_mass_concentration: m(pm4),
    pm10_mass_concentration: m(pm10),
    typical_particle_size: m(rng.int(300, 900)),
    pm0_5_number_concentration: m(n05),
    pm1_0_number_concentration: m(n1),
    pm2_5_number_concentration: m(n25),
    pm4_number_concentration: m(n4),
    pm10_number_concentration: m(n10),
  };
}

export const dlPm: Encoder<DlPmValues> = {
  model: 'decentlab/dl-pm',
  fPort: 1,
  encode: (values) => encodeDecentlab(values, GROUPS),
  randomValues: (rng) => ({
    device_id: rng.int(0, 0xffff),
    ...(rng.chance(0.9) ? { battery_voltage: m(rng.decimal(2.9, 3.6, 3)) } : {}),
    ...(rng.chance(0.8) ? particulates(rng) : {}),
    // Temperature and humidity are whatever the sensor's raw counts give, so draw the counts.
    ...(rng.chance(0.8)
      ? {
          air_temperature: m(sht21Temperature.fromWire(rng.int(15_000, 30_000))),
          air_humidity: m(sht21Humidity.fromWire(rng.int(4_000, 55_000))),
        }
      : {}),
    ...(rng.chance(0.8) ? { barometric_pressure: m(rng.int(45_000, 53_000) * 2) } : {}),
  }),
};
