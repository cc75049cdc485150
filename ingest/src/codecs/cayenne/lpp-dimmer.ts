import type { DownlinkCommand } from '../../contract/codec.ts';
import { PayloadError } from '../byte-reader.ts';
import { defineCodec, safeEncode } from '../define-codec.ts';
import { lightingMetrics } from '../milesight-iot/power.ts';
import { metricsFrom } from '../normalise.ts';
import { decodeLpp, type LppData } from './lpp.ts';

/** The port the controller listens on for commands and reports on; LPP fixes none, this profile does. */
const FPORT = 1;
/** The luminaire's relay (digital output) and its dimmer (analog output, %) share channel 1. */
const LAMP = 1;
const CHANNEL = { power: 2, voltage: 3 } as const;
const LPP_DIGITAL_OUTPUT = 0x01;
const LPP_ANALOG_OUTPUT = 0x03;

const num = (data: LppData, key: string) => {
  const value = data[key];
  return typeof value === 'number' ? value : undefined;
};

/**
 * A command as LPP records, the same `[channel][type][value]` the controller reports in (what the
 * Arduino CayenneLPP library's `decode` reads): digital output 1 is the relay, analog output 1
 * the level in %, ×100 as i16 BE. Dimming to a level also sets the relay: lit above 0, dark at 0.
 */
function commandFrame(command: DownlinkCommand): Uint8Array {
  if (command.type === 'report_interval') {
    throw new PayloadError('the LPP dimmer profile has no report-interval command');
  }
  if (command.channel !== LAMP)
    throw new PayloadError(`the LPP dimmer has one lamp (channel 1), got ${command.channel}`);
  const lit = command.type === 'switch' ? command.on : command.level > 0;
  const relay = [LAMP, LPP_DIGITAL_OUTPUT, lit ? 1 : 0];
  if (command.type === 'switch') return Uint8Array.from(relay);
  const level = command.level * 100;
  return Uint8Array.from([...relay, LAMP, LPP_ANALOG_OUTPUT, level >> 8, level & 0xff]);
}

/**
 * A dimmable luminaire controller (relay plus 0-10 V or DALI dimmer) whose firmware speaks
 * Cayenne LPP in this channel layout: channel 1 digital output = relay, channel 1 analog output =
 * dim level %, channel 2 analog input = power W, channel 3 analog input = mains voltage V. LPP
 * itself is `cayenne/lpp`; this profile says which channel is the lamp, so the city can dim it.
 */
export const lppDimmer = defineCodec<LppData>({
  model: 'cayenne/lpp-dimmer',
  vendor: 'myDevices',
  name: 'Dimmable streetlight controller speaking Cayenne LPP',
  class: 'streetlight',
  metrics: ['voltage', 'power', 'lamp_on', 'dim_level', 'lamp_failure'],
  fPorts: [FPORT],
  decode: decodeLpp,
  toMetrics: (data) => {
    const relay = num(data, `digital_out_${LAMP}`);
    const level = num(data, `analog_out_${LAMP}`);
    // A closed relay at level 0 gives no light: the lamp is off, and its drawing nothing is no fault.
    const on = relay === undefined ? undefined : relay === 1 && (level === undefined || level > 0);
    return metricsFrom([
      ...lightingMetrics({
        voltage: num(data, `analog_in_${CHANNEL.voltage}`),
        power: num(data, `analog_in_${CHANNEL.power}`),
        on,
      }),
      ['dim_level', level],
    ]);
  },
  encodeDownlink: (command) => safeEncode(() => ({ fPort: FPORT, bytes: commandFrame(command) })),
  examples: [
    {
      description: 'lit at 60 %, drawing 48.5 W on 231.2 V',
      input: {
        fPort: 1,
        bytes: [0x01, 0x01, 0x01, 0x01, 0x03, 0x17, 0x70, 0x02, 0x02, 0x12, 0xf2, 0x03, 0x02, 0x5a, 0x50],
      },
      output: { data: { digital_out_1: 1, analog_out_1: 60, analog_in_2: 48.5, analog_in_3: 231.2 } },
    },
    {
      description: 'switched off',
      input: { fPort: 1, bytes: [0x01, 0x01, 0x00, 0x01, 0x03, 0x27, 0x10] },
      output: { data: { digital_out_1: 0, analog_out_1: 100 } },
    },
    {
      description: 'another port',
      input: { fPort: 2, bytes: [0x01, 0x01, 0x00] },
      output: { errors: ['unknown FPort 2'] },
    },
  ],
  downlinkExamples: [
    {
      description: 'lamp on',
      command: { type: 'switch', channel: 1, on: true },
      output: { fPort: 1, bytes: [0x01, 0x01, 0x01] },
    },
    {
      description: 'dim to 40 %',
      command: { type: 'dim', channel: 1, level: 40 },
      output: { fPort: 1, bytes: [0x01, 0x01, 0x01, 0x01, 0x03, 0x0f, 0xa0] },
    },
    {
      description: 'dim to 0 is off',
      command: { type: 'dim', channel: 1, level: 0 },
      output: { fPort: 1, bytes: [0x01, 0x01, 0x00, 0x01, 0x03, 0x00, 0x00] },
    },
    {
      description: 'no second lamp',
      command: { type: 'dim', channel: 2, level: 50 },
      output: { errors: ['the LPP dimmer has one lamp (channel 1), got 2'] },
    },
    {
      description: 'no report interval',
      command: { type: 'report_interval', seconds: 600 },
      output: { errors: ['the LPP dimmer profile has no report-interval command'] },
    },
  ],
});
