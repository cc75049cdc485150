import { elvacoCodec, HEAT_METER_METRICS } from './mbus.ts';

export const cmi4111 = elvacoCodec({
  model: 'elvaco/cmi4111',
  name: 'CMi4111 LoRaWAN module for Landis+Gyr UH50 heat meters',
  class: 'meter',
  metrics: HEAT_METER_METRICS,
  names: { flowTemperature: 'forward_temperature', serial: 'serial_from_message' },
  examples: [
    {
      // From the TTN device repository's cmi4111-codec.yaml (whose YAML values carry stray commas).
      description: 'Landis+Gyr UH50 standard message',
      input: {
        fPort: 2,
        bytes: [
          5, 4, 6, 90, 38, 0, 0, 4, 20, 240, 20, 10, 0, 2, 45, 11, 0, 2, 59, 38, 0, 2, 90, 123, 2, 2, 94, 124, 1, 12,
          120, 113, 53, 73, 105, 4, 253, 23, 0, 0, 8, 0,
        ],
      },
      output: {
        data: {
          energy: 9818,
          volume: 6607.2,
          power: 1.1,
          flow: 0.038,
          forward_temperature: 63.5,
          return_temperature: 38,
          serial_from_message: 69493571,
          error_flag: 524288,
        },
      },
    },
  ],
});
