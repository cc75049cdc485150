import { metricsFrom } from '../normalise.ts';
import { flagField, milesightCodec } from './channels.ts';
import { checkChannel, controllerDownlink, lightingMetrics, meteringChannels } from './power.ts';

interface Ws52xData {
  voltage?: number;
  power?: number;
  power_factor?: number;
  energy?: number;
  /** mA */
  current?: number;
  button?: 'open' | 'close';
}

export const ws52x = milesightCodec<Ws52xData>({
  model: 'milesight-iot/ws52x',
  name: 'WS52x metering smart socket',
  class: 'streetlight',
  metrics: ['voltage', 'power', 'energy', 'current', 'lamp_on', 'lamp_failure'],
  channels: {
    ...meteringChannels({ energyWh: 'energy', currentMa: 'current' }),
    '0870': flagField('button', 'open', 'close'),
  },
  toMetrics: (data) =>
    metricsFrom(
      lightingMetrics({
        voltage: data.voltage,
        power: data.power,
        energyWh: data.energy,
        currentMa: data.current,
        on: data.button === undefined ? undefined : data.button === 'open',
      }),
    ),
  // Milesight WS52x downlink documentation, "Socket Control": 08 01 00 FF opens, 08 00 00 FF closes.
  encodeDownlink: controllerDownlink((channel, on) => {
    checkChannel('WS52x', channel, 1);
    return Uint8Array.of(0x08, on ? 0x01 : 0x00, 0x00, 0xff);
  }),
  examples: [
    // From the TTN device repository's ws52x-codec.yaml.
    {
      description: 'voltage',
      input: { fPort: 85, bytes: [0x03, 0x74, 0xed, 0x08] },
      output: { data: { voltage: 228.5 } },
    },
    {
      description: 'energy',
      input: { fPort: 85, bytes: [0x06, 0x83, 0x56, 0x04, 0x00, 0x00] },
      output: { data: { energy: 1110 } },
    },
    { description: 'socket on', input: { fPort: 85, bytes: [0x08, 0x70, 0x01] }, output: { data: { button: 'open' } } },
  ],
  downlinkExamples: [
    {
      description: 'socket on',
      command: { type: 'switch', channel: 1, on: true },
      output: { fPort: 85, bytes: [0x08, 0x01, 0x00, 0xff] },
    },
    {
      description: 'socket off',
      command: { type: 'switch', channel: 1, on: false },
      output: { fPort: 85, bytes: [0x08, 0x00, 0x00, 0xff] },
    },
  ],
});
