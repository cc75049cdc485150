import { batteryFromVolts, metricsFrom } from '../normalise.ts';
import { elsysCodec, vddVolts } from './tlv.ts';

/** Installed in meter pits and plant rooms: its leak probe and pulse input serve the meters. */
export const ems = elsysCodec({
  model: 'elsys/ems',
  name: 'EMS multi-sensor (leak, door, pulse, climate)',
  class: 'meter',
  metrics: ['leak', 'pulse_count', 'temperature', 'humidity', 'battery', 'battery_voltage'],
  toMetrics: (data) =>
    metricsFrom([
      ['leak', data.waterleak === undefined ? undefined : data.waterleak > 0],
      // pulse1 counts since the previous uplink; only the absolute counter is an index.
      ['pulse_count', data.pulseAbs],
      ['temperature', data.temperature],
      ['humidity', data.humidity],
      ...batteryFromVolts(vddVolts(data)),
    ]),
  examples: [
    {
      // From the TTN device repository's ems-codec.yaml: the second pulse record overwrites the first.
      description: 'temperature, humidity, accelerometer, pulses and water leak',
      input: {
        fPort: 1,
        bytes: [0x01, 0x00, 0xe2, 0x02, 0x29, 0x03, 0x01, 0x27, 0x05, 0x0a, 0x11, 0x01, 0x12, 0x11, 0x0a, 0x21, 0x11],
      },
      output: { data: { temperature: 22.6, humidity: 41, x: 1, y: 39, z: 5, pulse1: 8465, waterleak: 17 } },
    },
  ],
});
