import { fillFromDistance, metricsFrom } from '../normalise.ts';
import { battery, milesightCodec, u16Field } from './channels.ts';

interface Em500Data {
  battery?: number;
  distance?: number;
}

export const em500Udl = milesightCodec<Em500Data>({
  model: 'milesight-iot/em500-udl',
  name: 'EM500-UDL ultrasonic level sensor',
  class: 'bin',
  metrics: ['battery', 'distance', 'fill_level'],
  channels: {
    '0175': battery,
    '0382': u16Field('distance'),
  },
  toMetrics: (data, ctx) => metricsFrom([['battery', data.battery], ...fillFromDistance(data.distance, ctx)]),
  examples: [
    {
      // TTN device repository em500-udl-codec.yaml; distance in mm as FORMATS.md specifies.
      description: 'battery and distance',
      input: { fPort: 85, bytes: [0x01, 0x75, 0x64, 0x03, 0x82, 0x1e, 0x00] },
      output: { data: { battery: 100, distance: 30 } },
    },
  ],
});
