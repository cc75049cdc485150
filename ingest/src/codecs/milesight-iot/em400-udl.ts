import type { DownlinkCommand } from '../../contract/codec.ts';
import { PayloadError } from '../byte-reader.ts';
import { safeEncode } from '../define-codec.ts';
import { fillFromDistance, metricsFrom } from '../normalise.ts';
import { battery, flagField, milesightCodec, reportIntervalFrame, temperature, u16Field } from './channels.ts';

interface Em400Data {
  battery?: number;
  temperature?: number;
  distance?: number;
  position?: 'normal' | 'tilt';
}

export const em400Udl = milesightCodec<Em400Data>({
  model: 'milesight-iot/em400-udl',
  name: 'EM400-UDL ultrasonic distance sensor',
  class: 'bin',
  metrics: ['battery', 'temperature', 'distance', 'fill_level', 'tilt'],
  channels: {
    '0175': battery,
    '0367': temperature,
    '0482': u16Field('distance'),
    '0500': flagField('position', 'tilt', 'normal'),
  },
  toMetrics: (data, ctx) =>
    metricsFrom([
      ['battery', data.battery],
      ['temperature', data.temperature],
      ...fillFromDistance(data.distance, ctx),
      ['tilt', data.position === undefined ? undefined : data.position === 'tilt'],
    ]),
  // Range from Milesight's EM400-UDL encoder.
  encodeDownlink: (command: DownlinkCommand) =>
    safeEncode(() => {
      if (command.type !== 'report_interval') throw new PayloadError(`EM400-UDL has no ${command.type} command`);
      return reportIntervalFrame(command.seconds, 60, 64800);
    }),
  downlinkExamples: [
    {
      description: 'interval below the device minimum',
      command: { type: 'report_interval', seconds: 10 },
      output: { errors: ['report interval must be a whole number of seconds in [60, 64800], got 10'] },
    },
    {
      description: 'no outputs to switch',
      command: { type: 'switch', channel: 1, on: true },
      output: { errors: ['EM400-UDL has no switch command'] },
    },
  ],
});
