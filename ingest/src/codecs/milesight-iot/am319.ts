import { metricsFrom } from '../normalise.ts';
import { AM307_CHANNELS, type Am307Data, am307Metrics } from './am307.ts';
import { flagField, milesightCodec, u8Field, u16Field } from './channels.ts';

interface Am319Data extends Omit<Am307Data, 'activity'> {
  /** A count from the `05 6A` record, or the PIR state from `05 00`. */
  activity?: number | 'trigger' | 'idle';
  light_level?: number;
  hcho?: number;
  'pm2.5'?: number;
  pm10?: number;
}

export const am319 = milesightCodec<Am319Data>({
  model: 'milesight-iot/am319',
  name: 'AM319 indoor ambience monitoring sensor with particulates',
  class: 'air',
  metrics: ['battery', 'temperature', 'humidity', 'motion', 'co2', 'tvoc', 'pressure', 'hcho', 'pm25', 'pm10'],
  channels: {
    ...AM307_CHANNELS,
    '0500': flagField('activity', 'trigger', 'idle'),
    '06cb': u8Field('light_level'),
    '0a7d': u16Field('hcho', 100),
    '0b7d': u16Field('pm2.5'),
    '0c7d': u16Field('pm10'),
  },
  toMetrics: (data) => {
    const { activity } = data;
    return metricsFrom([
      ...am307Metrics({ ...data, activity: typeof activity === 'string' ? Number(activity === 'trigger') : activity }),
      ['hcho', data.hcho],
      ['pm25', data['pm2.5']],
      ['pm10', data.pm10],
    ]);
  },
  examples: [
    {
      // The TTN device repository's (commented-out) am319 example, without its battery line,
      // which its bytes do not carry.
      description: 'full air report',
      input: {
        fPort: 85,
        bytes: [
          0x03, 0x67, 0x34, 0x01, 0x04, 0x68, 0x65, 0x05, 0x00, 0x01, 0x06, 0xcb, 0x02, 0x07, 0x7d, 0xa8, 0x03, 0x08,
          0x7d, 0x25, 0x00, 0x09, 0x73, 0x66, 0x27, 0x0a, 0x7d, 0x04, 0x00, 0x0b, 0x7d, 0x20, 0x00, 0x0c, 0x7d, 0x30,
          0x00,
        ],
      },
      output: {
        data: {
          temperature: 30.8,
          humidity: 50.5,
          activity: 'trigger',
          light_level: 2,
          co2: 936,
          tvoc: 37,
          pressure: 1008.6,
          hcho: 0.04,
          'pm2.5': 32,
          pm10: 48,
        },
      },
    },
  ],
});
