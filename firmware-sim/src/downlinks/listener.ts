import type { FleetDevice } from '../fleet.ts';
import type { FleetControl } from '../simulation.ts';
import { applyDownlink } from './apply.ts';
import { readDownlink } from './frames.ts';

/** What the listener needs of an MQTT client (MQTT.js's MqttClient has it). */
export interface DownlinkClient {
  subscribeAsync(topic: string, opts: { qos: 0 | 1 }): Promise<unknown>;
  unsubscribeAsync(topic: string): Promise<unknown>;
  on(event: 'message', listener: (topic: string, payload: Buffer) => void): unknown;
  off(event: 'message', listener: (topic: string, payload: Buffer) => void): unknown;
}

export interface DownlinkListenerOptions {
  applicationId: string;
  /** Simulated ms after a downlink until the device reports its new state (default 2 s, as a Class C controller does at once). */
  replyAfterMs?: number;
  /** Told of each downlink: what the device did, or why it dropped the frame. */
  onDownlink?: (event: { devEui: string; done?: string[]; dropped?: string }) => void;
}

export interface DownlinkListener {
  readonly applied: number;
  readonly dropped: number;
  stop(): Promise<void>;
}

/** A ChirpStack v4 downlink (`command/down`, JSON) is this small; anything larger is not one. */
const MAX_MESSAGE_BYTES = 2048;
/** LoRaWAN's largest application payload (DR7 in EU868). */
const MAX_FRAME_BYTES = 242;
const DEV_EUI = /^[0-9a-f]{16}$/;
const TOPIC = /^application\/([^/]+)\/device\/([^/]+)\/command\/down$/;

/**
 * The fleet as the network server's downlink side sees it: subscribes to the application's
 * `command/down` topic, reads each JSON downlink (`{devEui, confirmed, fPort, data}` with `data`
 * base64) with the device model's own firmware reader, applies it to the device's state, and has
 * the device report its new state in an uplink soon after. Frames are read as an attacker wrote
 * them: a malformed one is dropped and counted, never thrown.
 */
export async function listenForDownlinks(
  client: DownlinkClient,
  devices: readonly FleetDevice[],
  control: FleetControl,
  opts: DownlinkListenerOptions,
): Promise<DownlinkListener> {
  const byEui = new Map(devices.map((d) => [d.devEui.toLowerCase(), d]));
  const topic = `application/${opts.applicationId}/device/+/command/down`;
  const counts = { applied: 0, dropped: 0 };
  const drop = (devEui: string, why: string) => {
    counts.dropped++;
    opts.onDownlink?.({ devEui, dropped: why });
  };
  const onMessage = (received: string, payload: Buffer) => {
    const match = TOPIC.exec(received);
    if (!match || match[1] !== opts.applicationId) return;
    const devEui = (match[2] ?? '').toLowerCase();
    const frame = parseDownlink(devEui, payload);
    if ('error' in frame) return drop(devEui, frame.error);
    const device = byEui.get(devEui);
    if (!device) return drop(devEui, 'no such device in the fleet');
    const read = readDownlink(device.model, frame.fPort, frame.bytes);
    if ('error' in read) return drop(devEui, read.error);
    const at = control.now;
    const done = applyDownlink(device, read.actions, at);
    counts.applied++;
    opts.onDownlink?.({ devEui, done });
    control.uplinkNow(device, at + (opts.replyAfterMs ?? 2000));
  };
  client.on('message', onMessage);
  await client.subscribeAsync(topic, { qos: 1 });
  return {
    get applied() {
      return counts.applied;
    },
    get dropped() {
      return counts.dropped;
    },
    stop: async () => {
      client.off('message', onMessage);
      await client.unsubscribeAsync(topic).catch(() => undefined);
    },
  };
}

/** The frame of a ChirpStack JSON downlink for `devEui`, or why it is not one. */
export function parseDownlink(
  devEui: string,
  payload: Buffer,
): { fPort: number; bytes: Uint8Array } | { error: string } {
  if (!DEV_EUI.test(devEui)) return { error: 'the topic names no DevEUI' };
  if (payload.length > MAX_MESSAGE_BYTES) return { error: `message of ${payload.length} bytes` };
  let message: unknown;
  try {
    message = JSON.parse(payload.toString('utf8'));
  } catch {
    return { error: 'not JSON' };
  }
  if (typeof message !== 'object' || message === null || Array.isArray(message)) return { error: 'not a JSON object' };
  const m = message as Record<string, unknown>;
  if (m.devEui !== undefined && (typeof m.devEui !== 'string' || m.devEui.toLowerCase() !== devEui)) {
    return { error: 'devEui differs from the topic' };
  }
  const { fPort, data } = m;
  if (typeof fPort !== 'number' || !Number.isInteger(fPort) || fPort < 1 || fPort > 223) return { error: 'bad fPort' };
  if (typeof data !== 'string' || !/^[A-Za-z0-9+/]*={0,2}$/.test(data) || data.length % 4 !== 0) {
    return { error: 'data is not base64 (an `object` to encode is not supported)' };
  }
  const bytes = Buffer.from(data, 'base64');
  if (bytes.length === 0 || bytes.length > MAX_FRAME_BYTES) return { error: `frame of ${bytes.length} bytes` };
  return { fPort, bytes: new Uint8Array(bytes) };
}
