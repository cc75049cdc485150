import type { Codec } from '../../contract/codec.ts';
import { distanceToFill, metricsFrom, PayloadError, safeDecode } from '../blocks.ts';
import { battery, decodeChannels } from './channels.ts';

interface Em310Data {
  battery?: number;
  distance?: number;
  tilt?: 'normal' | 'tilt';
}

export const em310Udl: Codec<Em310Data> = {
  model: 'milesight-iot/em310-udl',
  vendor: 'Milesight',
  name: 'EM310-UDL ultrasonic distance sensor',
  class: 'bin',
  metrics: ['battery', 'distance', 'fill_level', 'tilt'],
  decodeUplink: (input) =>
    safeDecode(input, ({ fPort, bytes }) => {
      if (fPort !== 85) throw new PayloadError(`unknown fPort ${fPort}`);
      return decodeChannels(bytes, {
        '0175': battery,
        '0382': (r, out) => {
          out.distance = r.u16le();
        },
        '0400': (r, out) => {
          out.tilt = r.u8() === 1 ? 'tilt' : 'normal';
        },
      }) as Em310Data;
    }),
  toMetrics: (data, ctx) =>
    metricsFrom([
      ['battery', data.battery],
      ['distance', data.distance],
      ['fill_level', data.distance === undefined ? undefined : distanceToFill(data.distance, ctx.binDepthMm)],
      ['tilt', data.tilt === undefined ? undefined : data.tilt === 'tilt'],
    ]),
};
