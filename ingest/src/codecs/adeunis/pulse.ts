import { ByteReader, hexKey, PayloadError } from '../byte-reader.ts';
import { defineCodec } from '../define-codec.ts';
import { metricsFrom } from '../normalise.ts';

/** Adeunis counts device time in seconds from 2013-01-01T00:00:00Z. */
const EPOCH_2013_S = 1356998400;

interface Status {
  frameCounter: number;
  hardwareError: boolean;
  lowBattery: boolean;
  configurationDone: boolean;
  timestamp: boolean;
}

interface KeepAliveChannel {
  name: string;
  flow: { alarm: boolean; last24hMin: number; last24hMax: number };
  tamperAlarm: boolean;
  leakageAlarm: boolean;
}

interface PulseFrame {
  type: string;
  status: Status;
  /** Device time, ISO without zone suffix, as Adeunis's decoder writes it. */
  timestamp?: string;
  decodingInfo?: string;
  counterValues?: number[];
  channels?: KeepAliveChannel[];
}

/** Adeunis's decoder returns the frame under `bytes`; kept so its published examples match. */
interface PulseData {
  bytes: PulseFrame;
}

function deviceTime(seconds: number): string {
  return new Date((seconds + EPOCH_2013_S) * 1000).toISOString().replace('Z', '');
}

/** A channel's absolute counter, then u16 decrements back in time: t=0, t-1, t-2 ... */
function counterHistory(type: string) {
  return (r: ByteReader, frame: PulseFrame): void => {
    let counter = r.u32be();
    const values = [counter];
    if (r.remaining % 2 !== 0) throw new PayloadError('counter history has an odd number of bytes');
    while (r.remaining > 0) {
      counter -= r.u16be();
      values.push(counter);
    }
    frame.type = type;
    frame.decodingInfo = 'counterValues: [t=0, t-1, t-2, ...]';
    frame.counterValues = values;
  };
}

const FRAMES: Record<string, (r: ByteReader, frame: PulseFrame) => void> = {
  '5a': counterHistory('0x5a Pulse 4 data - channel A'),
  '5b': counterHistory('0x5b Pulse 4 data - channel B'),
  '46': (r, frame) => {
    frame.type = '0x46 Pulse 4 data';
    frame.decodingInfo = 'counterValues: [Channel A, Channel B]';
    frame.counterValues = [r.u32be(), r.u32be()];
  },
  '30': (r, frame) => {
    frame.type = '0x30 Pulse 4 keep alive';
    const alarms = r.u8();
    const max = [r.u16be(), r.u16be()];
    const min = [r.u16be(), r.u16be()];
    frame.channels = (['A', 'B'] as const).map((name, i) => ({
      name: `channel ${name}`,
      flow: { alarm: Boolean(alarms & (0x01 << i)), last24hMin: min[i] ?? 0, last24hMax: max[i] ?? 0 },
      tamperAlarm: Boolean(alarms & (0x04 << i)),
      leakageAlarm: Boolean(alarms & (0x10 << i)),
    }));
  },
};

/**
 * Frame code, status byte (frame counter in bits 5-7, bit 2 timestamp present, bit 1 low
 * battery, bit 0 configuration done), the frame's fields, and a trailing u32 BE device time
 * when bit 2 is set.
 */
function decode(bytes: Uint8Array): PulseData {
  const head = new ByteReader(bytes);
  const code = head.u8();
  const statusByte = head.u8();
  const parse = FRAMES[hexKey(code, 1)];
  if (!parse) throw new PayloadError(`unsupported frame code 0x${hexKey(code, 1)}`);
  const hasTime = Boolean(statusByte & 0x04);
  if (hasTime && head.remaining < 4) throw new PayloadError('payload too short for its timestamp');
  const body = new ByteReader(head.bytesOf(head.remaining - (hasTime ? 4 : 0)));
  const frame: PulseFrame = {
    type: '',
    status: {
      frameCounter: (statusByte & 0xe0) >> 5,
      hardwareError: false,
      lowBattery: Boolean(statusByte & 0x02),
      configurationDone: Boolean(statusByte & 0x01),
      timestamp: hasTime,
    },
  };
  parse(body, frame);
  if (body.remaining > 0)
    throw new PayloadError(`${body.remaining} unexpected byte(s) in frame 0x${code.toString(16)}`);
  if (hasTime) frame.timestamp = deviceTime(head.u32be());
  return { bytes: frame };
}

export const pulse = defineCodec<PulseData>({
  model: 'adeunis/pulse',
  vendor: 'Adeunis',
  name: 'PULSE 4 pulse counter for water, gas and electricity meters',
  class: 'meter',
  metrics: ['pulse_count', 'leak', 'tamper'],
  decode,
  toMetrics: ({ bytes: frame }) => {
    // Channel A is wired to the meter; channel B, where used, is a second meter the city
    // vocabulary (one index per device) does not name.
    const channelA = frame.type.startsWith('0x5b') ? undefined : frame.counterValues?.[0];
    const channels = frame.channels;
    return metricsFrom([
      ['pulse_count', channelA],
      ['leak', channels?.some((c) => c.leakageAlarm)],
      ['tamper', channels?.some((c) => c.tamperAlarm)],
    ]);
  },
  examples: [
    {
      description: 'keep alive with a leak on channel B',
      input: { fPort: 1, bytes: [0x30, 0x20, 0x20, 0x00, 0x05, 0x00, 0x06, 0x00, 0x01, 0x00, 0x02] },
      output: {
        data: {
          bytes: {
            type: '0x30 Pulse 4 keep alive',
            status: {
              frameCounter: 1,
              hardwareError: false,
              lowBattery: false,
              configurationDone: false,
              timestamp: false,
            },
            channels: [
              {
                name: 'channel A',
                flow: { alarm: false, last24hMin: 1, last24hMax: 5 },
                tamperAlarm: false,
                leakageAlarm: false,
              },
              {
                name: 'channel B',
                flow: { alarm: false, last24hMin: 2, last24hMax: 6 },
                tamperAlarm: false,
                leakageAlarm: true,
              },
            ],
          },
        },
      },
    },
    {
      description: 'counters of both channels',
      input: { fPort: 1, bytes: [0x46, 0x01, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00, 0x02] },
      output: {
        data: {
          bytes: {
            type: '0x46 Pulse 4 data',
            status: {
              frameCounter: 0,
              hardwareError: false,
              lowBattery: false,
              configurationDone: true,
              timestamp: false,
            },
            decodingInfo: 'counterValues: [Channel A, Channel B]',
            counterValues: [256, 2],
          },
        },
      },
    },
  ],
});
