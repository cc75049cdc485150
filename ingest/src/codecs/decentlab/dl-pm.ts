import { batteryFromVolts, metricsFrom } from '../normalise.ts';
import { BATTERY_GROUP, decentlabCodec, type MeasurementSpec, measured, word } from './protocol.ts';

const MASS_UNIT = 'µg⋅m⁻³';

const mass = (index: number, size: string, key: string): MeasurementSpec => ({
  name: `pm${key}_mass_concentration`,
  displayName: `PM${size} mass concentration`,
  unit: MASS_UNIT,
  convert: word(index, 10),
});

// Published outputs carry no unit for number concentrations, so none is added here.
const count = (index: number, size: string, key: string): MeasurementSpec => ({
  name: `pm${key}_number_concentration`,
  displayName: `PM${size} number concentration`,
  convert: word(index, 10),
});

export const dlPm = decentlabCodec({
  model: 'decentlab/dl-pm',
  name: 'DL-PM particulate matter, temperature, humidity and pressure sensor',
  class: 'air',
  metrics: ['battery', 'battery_voltage', 'pm1', 'pm25', 'pm10', 'temperature', 'humidity', 'pressure'],
  sensors: [
    BATTERY_GROUP,
    {
      words: 10,
      values: [
        mass(0, '1.0', '1_0'),
        mass(1, '2.5', '2_5'),
        mass(2, '4', '4'),
        mass(3, '10', '10'),
        { name: 'typical_particle_size', displayName: 'Typical particle size', unit: 'nm', convert: word(4) },
        count(5, '0.5', '0_5'),
        count(6, '1.0', '1_0'),
        count(7, '2.5', '2_5'),
        count(8, '4', '4'),
        count(9, '10', '10'),
      ],
    },
    {
      words: 2,
      values: [
        {
          name: 'air_temperature',
          displayName: 'Air temperature',
          unit: '°C',
          convert: (x) => (175.72 * (x[0] ?? Number.NaN)) / 65536 - 46.85,
        },
        {
          name: 'air_humidity',
          displayName: 'Air humidity',
          unit: '%',
          convert: (x) => (125 * (x[1] ?? Number.NaN)) / 65536 - 6,
        },
      ],
    },
    {
      words: 1,
      values: [
        {
          name: 'barometric_pressure',
          displayName: 'Barometric pressure',
          unit: 'Pa',
          convert: (x) => (x[0] ?? Number.NaN) * 2,
        },
      ],
    },
  ],
  toMetrics: (data) => {
    const pressurePa = measured(data, 'barometric_pressure');
    return metricsFrom([
      ...batteryFromVolts(measured(data, 'battery_voltage')),
      ['pm1', measured(data, 'pm1_0_mass_concentration')],
      ['pm25', measured(data, 'pm2_5_mass_concentration')],
      ['pm10', measured(data, 'pm10_mass_concentration')],
      ['temperature', measured(data, 'air_temperature')],
      ['humidity', measured(data, 'air_humidity')],
      ['pressure', pressurePa === undefined ? undefined : pressurePa / 100],
    ]);
  },
});
