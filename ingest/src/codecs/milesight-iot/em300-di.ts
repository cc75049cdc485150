import { metricsFrom } from '../normalise.ts';
import { battery, humidity, milesightCodec, temperature, u8Field, u32Field } from './channels.ts';

interface Em300DiData {
  battery?: number;
  temperature?: number;
  humidity?: number;
  gpio?: number;
  pulse?: number;
}

export const em300Di = milesightCodec<Em300DiData>({
  model: 'milesight-iot/em300-di',
  name: 'EM300-DI pulse counter',
  class: 'meter',
  metrics: ['battery', 'pulse_count', 'temperature', 'humidity'],
  // Temperature, humidity and the GPIO state are in Milesight's public EM300-DI decoder.
  channels: {
    '0175': battery,
    '0367': temperature,
    '0468': humidity,
    '0500': u8Field('gpio'),
    '05c8': u32Field('pulse'),
  },
  toMetrics: (data) =>
    metricsFrom([
      ['battery', data.battery],
      ['pulse_count', data.pulse],
      ['temperature', data.temperature],
      ['humidity', data.humidity],
    ]),
});
