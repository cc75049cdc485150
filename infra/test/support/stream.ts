import type { MqttClient } from 'mqtt';
import { sleep } from './net.ts';

export interface Frame {
  topic: string;
  payload: Uint8Array;
}

export interface SteadyStream {
  /** Frames handed to the client so far (acknowledged or not). */
  readonly published: number;
  /** Frames the broker acknowledged (PUBACK) so far. */
  readonly acked: number;
  /** Resolves once every frame is published and acknowledged; rejects if any publish fails. */
  readonly done: Promise<void>;
}

/**
 * Publishes `total` frames at QoS 1 at a steady `perSecond`, the way a network server does:
 * it never waits for an acknowledgement before the next frame. While the client is offline,
 * MQTT.js keeps QoS 1 publishes in its outgoing store and sends them (again) on reconnect.
 */
export function publishSteadily(
  client: MqttClient,
  total: number,
  perSecond: number,
  frame: (i: number) => Frame,
): SteadyStream {
  let published = 0;
  let acked = 0;
  const run = async () => {
    const started = performance.now();
    const acks: Promise<unknown>[] = [];
    for (let i = 0; i < total; i++) {
      const { topic, payload } = frame(i);
      acks.push(
        client.publishAsync(topic, Buffer.from(payload), { qos: 1 }).then(() => {
          acked++;
        }),
      );
      published++;
      const wait = started + ((i + 1) * 1000) / perSecond - performance.now();
      if (wait >= 1) await sleep(wait);
    }
    await Promise.all(acks);
  };
  const done = run();
  // The caller awaits `done` later; until then a rejection must not count as unhandled.
  done.catch(() => {});
  return {
    get published() {
      return published;
    },
    get acked() {
      return acked;
    },
    done,
  };
}
