import { metricsFrom } from '../normalise.ts';
import { milesightCodec } from './channels.ts';
import { checkChannel, controllerDownlink, lightingMetrics, meteringChannels } from './power.ts';

const SWITCHES = 8;

type SwitchState = 'on' | 'off';
type SwitchKey = `switch_${1 | 2 | 3 | 4 | 5 | 6 | 7 | 8}`;

type Ws558Data = {
  voltage?: number;
  power?: number;
  power_factor?: number;
  power_consumption?: number;
  /** mA */
  total_current?: number;
} & Partial<Record<SwitchKey, SwitchState>>;

function switchStates(data: Ws558Data): SwitchState[] {
  return Array.from({ length: SWITCHES }, (_, i) => data[`switch_${i + 1}` as SwitchKey]).filter(
    (s): s is SwitchState => s !== undefined,
  );
}

export const ws558 = milesightCodec<Ws558Data>({
  model: 'milesight-iot/ws558',
  name: 'WS558 8-circuit smart light controller',
  class: 'streetlight',
  metrics: ['voltage', 'power', 'energy', 'current', 'lamp_on', 'lamp_failure'],
  channels: {
    ...meteringChannels({ energyWh: 'power_consumption', currentMa: 'total_current' }),
    // Byte 1 flags the circuits that changed, byte 2 holds every circuit's state (bit n = circuit n+1).
    '0831': (r, out) => {
      r.u8();
      const states = r.u8();
      for (let i = 0; i < SWITCHES; i++) out[`switch_${i + 1}`] = (states >> i) & 1 ? 'on' : 'off';
    },
  },
  toMetrics: (data) => {
    const states = switchStates(data);
    return metricsFrom(
      lightingMetrics({
        voltage: data.voltage,
        power: data.power,
        energyWh: data.power_consumption,
        currentMa: data.total_current,
        on: states.length === 0 ? undefined : states.includes('on'),
      }),
    );
  },
  // WS558 user guide §5.3 "Downlink Commands": channel 08 with no type byte, then a mask of the
  // circuits to control and their new states, one bit per circuit (1 = on).
  encodeDownlink: controllerDownlink((channel, on) => {
    checkChannel('WS558', channel, SWITCHES);
    const bit = 1 << (channel - 1);
    return Uint8Array.of(0x08, bit, on ? bit : 0);
  }),
  examples: [
    {
      // Milesight's WS558 README example (SensorDecoders, ws-series/ws558).
      description: 'switch status with metering',
      input: {
        fPort: 85,
        bytes: [
          0x08, 0x31, 0x00, 0x01, 0x05, 0x81, 0x64, 0x07, 0xc9, 0x02, 0x00, 0x03, 0x74, 0xb2, 0x08, 0x06, 0x83, 0x01,
          0x00, 0x00, 0x00, 0x04, 0x80, 0x01, 0x00, 0x00, 0x00,
        ],
      },
      output: {
        data: {
          voltage: 222.6,
          power: 1,
          power_factor: 100,
          total_current: 2,
          power_consumption: 1,
          switch_1: 'on',
          switch_2: 'off',
          switch_3: 'off',
          switch_4: 'off',
          switch_5: 'off',
          switch_6: 'off',
          switch_7: 'off',
          switch_8: 'off',
        },
      },
    },
    {
      // WS558 user guide §5.2: "08310060 => L6, L7 open and others close".
      description: 'circuits 6 and 7 on',
      input: { fPort: 85, bytes: [0x08, 0x31, 0x00, 0x60] },
      output: {
        data: {
          switch_1: 'off',
          switch_2: 'off',
          switch_3: 'off',
          switch_4: 'off',
          switch_5: 'off',
          switch_6: 'on',
          switch_7: 'on',
          switch_8: 'off',
        },
      },
    },
  ],
  downlinkExamples: [
    {
      description: 'circuit 1 on',
      command: { type: 'switch', channel: 1, on: true },
      output: { fPort: 85, bytes: [0x08, 0x01, 0x01] },
    },
    {
      description: 'circuit 7 off',
      command: { type: 'switch', channel: 7, on: false },
      output: { fPort: 85, bytes: [0x08, 0x40, 0x00] },
    },
    {
      description: 'no circuit 9',
      command: { type: 'switch', channel: 9, on: true },
      output: { errors: ['WS558 has switch channels 1-8, got 9'] },
    },
    {
      description: 'report every 20 minutes',
      command: { type: 'report_interval', seconds: 1200 },
      output: { fPort: 85, bytes: [0xff, 0x03, 0xb0, 0x04] },
    },
  ],
});
