import { batteryFromVolts, metricsFrom } from '../normalise.ts';
import { elsysCodec, vddVolts } from './tlv.ts';

export const ersCo2 = elsysCodec({
  model: 'elsys/ers-co2',
  name: 'ERS CO2 indoor climate sensor',
  class: 'air',
  metrics: ['temperature', 'humidity', 'illuminance', 'motion', 'co2', 'battery', 'battery_voltage'],
  toMetrics: (data) =>
    metricsFrom([
      ['temperature', data.temperature],
      ['humidity', data.humidity],
      ['illuminance', data.light],
      ['motion', data.motion],
      ['co2', data.co2],
      ...batteryFromVolts(vddVolts(data)),
    ]),
});
