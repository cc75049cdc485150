import { lppDimmer } from '../encoders/cayenne/lpp-dimmer.ts';
import { MILESIGHT_FPORT } from '../encoders/milesight-iot/channels.ts';

/** What a controller does with a downlink, as its firmware reads the frame. */
export type DownlinkAction =
  | { type: 'switch'; channel: number; on: boolean }
  | { type: 'dim'; channel: number; level: number }
  | { type: 'report_interval'; seconds: number };

/** A downlink a model's firmware reads: the actions it takes, or why it drops the frame. */
export type ReadFrame = { actions: DownlinkAction[] } | { error: string };

type FrameReader = (bytes: Uint8Array) => ReadFrame;

/**
 * Milesight's downlink records as the WS52x and WS558 firmware take them (their user guides,
 * "Downlink Commands"): `FF 03` + u16 LE seconds sets the report interval, `08` switches. One
 * frame may hold several records. Written here from the vendor's documents, apart from ingest's
 * encoders: the commands integration test is where the two meet.
 */
function milesightReader(
  switchRecord: (bytes: Uint8Array, at: number) => { actions: DownlinkAction[]; size: number },
): FrameReader {
  return (bytes) => {
    const actions: DownlinkAction[] = [];
    for (let at = 0; at < bytes.length; ) {
      if (bytes[at] === 0xff && bytes[at + 1] === 0x03 && at + 4 <= bytes.length) {
        actions.push({
          type: 'report_interval',
          seconds: (bytes[at + 2] as number) | ((bytes[at + 3] as number) << 8),
        });
        at += 4;
      } else if (bytes[at] === 0x08) {
        const record = switchRecord(bytes, at);
        if (record.size === 0) return { error: `malformed switch record at byte ${at}` };
        actions.push(...record.actions);
        at += record.size;
      } else {
        return { error: `unknown record 0x${(bytes[at] as number).toString(16).padStart(2, '0')} at byte ${at}` };
      }
    }
    return actions.length > 0 ? { actions } : { error: 'empty frame' };
  };
}

/** WS52x "Socket Control": `08 01 00 FF` closes the relay (on), `08 00 00 FF` opens it. */
const ws52x = milesightReader((bytes, at) => {
  if (at + 4 > bytes.length || bytes[at + 2] !== 0x00 || bytes[at + 3] !== 0xff) return { actions: [], size: 0 };
  const state = bytes[at + 1];
  if (state !== 0x00 && state !== 0x01) return { actions: [], size: 0 };
  return { actions: [{ type: 'switch', channel: 1, on: state === 0x01 }], size: 4 };
});

/** WS558: `08`, a mask of the circuits to change, their new states (bit n = circuit n+1, 1 = on). */
const ws558 = milesightReader((bytes, at) => {
  if (at + 3 > bytes.length) return { actions: [], size: 0 };
  const mask = bytes[at + 1] as number;
  const states = bytes[at + 2] as number;
  const actions: DownlinkAction[] = [];
  for (let i = 0; i < 8; i++) {
    if ((mask >> i) & 1) actions.push({ type: 'switch', channel: i + 1, on: ((states >> i) & 1) === 1 });
  }
  return { actions, size: 3 };
});

/**
 * The LPP dimmer's firmware: LPP records `[channel][type][value]` as it reports them, digital
 * output 1 (one byte, 0 or 1) its relay, analog output 1 (i16 BE, 0.01 %) its level.
 */
const lppDimmerReader: FrameReader = (bytes) => {
  const actions: DownlinkAction[] = [];
  for (let at = 0; at < bytes.length; ) {
    const [channel, type] = [bytes[at], bytes[at + 1]];
    if (channel !== 1) return { error: `no output on channel ${channel} at byte ${at}` };
    if (type === 0x01 && at + 3 <= bytes.length) {
      const state = bytes[at + 2];
      if (state !== 0 && state !== 1) return { error: `relay state ${state} at byte ${at}` };
      actions.push({ type: 'switch', channel, on: state === 1 });
      at += 3;
    } else if (type === 0x03 && at + 4 <= bytes.length) {
      const level = (((bytes[at + 2] as number) << 8) | (bytes[at + 3] as number)) / 100;
      if (level > 100) return { error: `dim level ${level} % at byte ${at}` };
      actions.push({ type: 'dim', channel, level });
      at += 4;
    } else {
      return { error: `malformed LPP output record at byte ${at}` };
    }
  }
  return actions.length > 0 ? { actions } : { error: 'empty frame' };
};

/** The downlink formats the simulated controllers understand, by model, with the port they listen on. */
const READERS: Readonly<Record<string, { fPort: number; read: FrameReader }>> = {
  'milesight-iot/ws52x': { fPort: MILESIGHT_FPORT, read: ws52x },
  'milesight-iot/ws558': { fPort: MILESIGHT_FPORT, read: ws558 },
  [lppDimmer.model]: { fPort: lppDimmer.fPort, read: lppDimmerReader },
};

/** How `model`'s firmware reads a downlink on `fPort`; an error when it takes none there. */
export function readDownlink(model: string, fPort: number, bytes: Uint8Array): ReadFrame {
  const reader = READERS[model];
  if (!reader) return { error: `${model} takes no downlinks in the simulator` };
  if (fPort !== reader.fPort) return { error: `${model} listens on fPort ${reader.fPort}, not ${fPort}` };
  return reader.read(bytes);
}
