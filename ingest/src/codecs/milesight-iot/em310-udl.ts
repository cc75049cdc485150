import { fillFromDistance, metricsFrom } from '../normalise.ts';
import { battery, flagField, milesightCodec, u16Field } from './channels.ts';

interface Em310Data {
  battery?: number;
  distance?: number;
  tilt?: 'normal' | 'tilt';
}

export const em310Udl = milesightCodec<Em310Data>({
  model: 'milesight-iot/em310-udl',
  name: 'EM310-UDL ultrasonic distance sensor',
  class: 'bin',
  metrics: ['battery', 'distance', 'fill_level', 'tilt'],
  channels: {
    '0175': battery,
    '0382': u16Field('distance'),
    '0400': flagField('tilt', 'tilt', 'normal'),
  },
  toMetrics: (data, ctx) =>
    metricsFrom([
      ['battery', data.battery],
      ...fillFromDistance(data.distance, ctx),
      ['tilt', data.tilt === undefined ? undefined : data.tilt === 'tilt'],
    ]),
});
