import type { DownlinkCommand, EncodeResult } from '../../contract/codec.ts';
import { PayloadError } from '../byte-reader.ts';
import { safeEncode } from '../define-codec.ts';
import type { MetricPair } from '../normalise.ts';
import {
  type ChannelReader,
  MILESIGHT_FPORT,
  reportIntervalFrame,
  u8Field,
  u16Field,
  u32Field,
  voltage,
} from './channels.ts';

/** The metering records WS558 and WS52x share; the vendor names energy and current per model. */
export function meteringChannels(names: { energyWh: string; currentMa: string }): Record<string, ChannelReader> {
  return {
    '0374': voltage,
    '0480': u32Field('power'),
    '0581': u8Field('power_factor'),
    '0683': u32Field(names.energyWh),
    '07c9': u16Field(names.currentMa),
  };
}

export interface Metering {
  voltage?: number;
  power?: number;
  energyWh?: number;
  currentMa?: number;
  /** Whether the controller reports its output switched on; undefined when this uplink does not say. */
  on?: boolean;
}

/**
 * Streetlight metrics from a metering controller. A lamp that is switched on yet draws no
 * power has failed (or its circuit has); both must be in the same uplink to tell.
 */
export function lightingMetrics(m: Metering): MetricPair[] {
  const current = m.currentMa === undefined ? undefined : m.currentMa / 1000;
  return [
    ['voltage', m.voltage],
    ['power', m.power],
    ['energy', m.energyWh === undefined ? undefined : m.energyWh / 1000],
    ['current', current],
    ['lamp_on', m.on],
    ['lamp_failure', m.on === undefined || m.power === undefined ? undefined : m.on && m.power === 0],
  ];
}

/** A circuit counts as lit above this current; below it the reading is sensor noise. */
export const LAMP_ON_MIN_CURRENT_A = 0.05;

/** Whether a measured load current means the lamp is lit. */
export function litByCurrent(currentA: number | undefined): boolean | undefined {
  return currentA === undefined ? undefined : currentA > LAMP_ON_MIN_CURRENT_A;
}

/**
 * Encoder for controllers that take Milesight's `FF 03` report interval plus their own switch
 * frame. Milesight publishes no interval range for these, so the EM400 range (1 min to 18 h) is used.
 */
export function controllerDownlink(
  switchFrame: (channel: number, on: boolean) => Uint8Array,
): (command: DownlinkCommand) => EncodeResult {
  return (command) =>
    safeEncode(() => {
      switch (command.type) {
        case 'report_interval':
          return reportIntervalFrame(command.seconds, 60, 64800);
        case 'switch':
          return { fPort: MILESIGHT_FPORT, bytes: switchFrame(command.channel, command.on) };
        case 'dim':
          throw new PayloadError('this controller only switches its outputs; it has no dimmer');
      }
    });
}

export function checkChannel(model: string, channel: number, count: number): void {
  if (!Number.isInteger(channel) || channel < 1 || channel > count) {
    throw new PayloadError(`${model} has switch channels 1-${count}, got ${channel}`);
  }
}
