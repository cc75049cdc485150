import { type MetricPair, metricsFrom } from '../normalise.ts';
import { battery, type ChannelReader, humidity, milesightCodec, temperature, u16Field } from './channels.ts';

export interface Am307Data {
  battery?: number;
  temperature?: number;
  humidity?: number;
  /** PIR activity count. */
  activity?: number;
  co2?: number;
  tvoc?: number;
  pressure?: number;
}

export const AM307_CHANNELS: Record<string, ChannelReader> = {
  '0175': battery,
  '0367': temperature,
  '0468': humidity,
  '056a': u16Field('activity'),
  '077d': u16Field('co2'),
  '087d': u16Field('tvoc'),
  '0973': u16Field('pressure', 10),
};

export function am307Metrics(data: Am307Data): MetricPair[] {
  return [
    ['battery', data.battery],
    ['temperature', data.temperature],
    ['humidity', data.humidity],
    ['motion', data.activity],
    ['co2', data.co2],
    ['tvoc', data.tvoc],
    ['pressure', data.pressure],
  ];
}

export const am307 = milesightCodec<Am307Data>({
  model: 'milesight-iot/am307',
  name: 'AM307 indoor ambience monitoring sensor',
  class: 'air',
  metrics: ['battery', 'temperature', 'humidity', 'motion', 'co2', 'tvoc', 'pressure'],
  channels: AM307_CHANNELS,
  toMetrics: (data) => metricsFrom(am307Metrics(data)),
});
