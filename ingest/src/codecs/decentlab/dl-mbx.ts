import { batteryFromVolts, fillFromDistance, metricsFrom } from '../normalise.ts';
import { BATTERY_GROUP, decentlabCodec, measured, word } from './protocol.ts';

export const dlMbx = decentlabCodec({
  model: 'decentlab/dl-mbx',
  name: 'DL-MBX ultrasonic distance / level sensor',
  class: 'bin',
  metrics: ['distance', 'fill_level', 'battery', 'battery_voltage'],
  sensors: [
    {
      words: 2,
      values: [
        { name: 'distance', displayName: 'Distance', unit: 'mm', convert: word(0) },
        { name: 'number_of_valid_samples', displayName: 'Number of valid samples', convert: word(1) },
      ],
    },
    BATTERY_GROUP,
  ],
  toMetrics: (data, ctx) => {
    // No valid sample means the distance word is not a measurement.
    const valid = measured(data, 'number_of_valid_samples') !== 0;
    return metricsFrom([
      ...fillFromDistance(valid ? measured(data, 'distance') : undefined, ctx),
      ...batteryFromVolts(measured(data, 'battery_voltage')),
    ]);
  },
  examples: [
    // From the TTN device repository's dl-mbx-codec.yaml.
    {
      description: 'distance, samples and battery',
      input: { fPort: 1, bytes: [0x02, 0x01, 0x2f, 0x00, 0x03, 0x04, 0xd2, 0x00, 0x01, 0x0b, 0xb1] },
      output: {
        data: {
          protocol_version: 2,
          device_id: 303,
          distance: { displayName: 'Distance', unit: 'mm', value: 1234 },
          number_of_valid_samples: { displayName: 'Number of valid samples', value: 1 },
          battery_voltage: { displayName: 'Battery voltage', unit: 'V', value: 2.993 },
        },
      },
    },
    {
      description: 'battery only',
      input: { fPort: 1, bytes: [0x02, 0x01, 0x2f, 0x00, 0x02, 0x0b, 0xb1] },
      output: {
        data: {
          protocol_version: 2,
          device_id: 303,
          battery_voltage: { displayName: 'Battery voltage', unit: 'V', value: 2.993 },
        },
      },
    },
  ],
});
