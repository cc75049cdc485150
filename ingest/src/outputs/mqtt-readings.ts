import { randomBytes } from 'node:crypto';
import mqtt, { type MqttClient } from 'mqtt';
import type { Logger } from 'pino';
import { Counter, type Registry } from 'prom-client';
import type { Reading } from '../contract/reading.ts';
import { encodeReadings } from '../contract/readings-message.ts';
import type { ReadingsOutput } from './readings-output.ts';

export interface MqttReadingsOptions {
  url: string;
  /** ingest's own client id: this publisher's is derived from it, so it never takes over ingest's session. */
  clientId: string;
  topic: string;
  protocolVersion: 4 | 5;
  log: Logger;
  /** Where its counters go (ingest's /metrics). */
  registry: Registry;
  /** Messages sent and not yet acknowledged, at most; beyond it batches are dropped and counted. */
  maxPending?: number;
}

/** How long `close()` waits for the broker to acknowledge what is pending. */
const CLOSE_DEADLINE_MS = 5_000;

/**
 * Committed readings to the broker, one QoS 1 message per batch (READINGS_MESSAGE_FRAMES frames at
 * most), for twin processes that run apart from ingest. Its own connection: publishing outlives
 * the subscription, which stops first when ingest stops, so the last batches still go out.
 *
 * A twin rebuilds its state from the database when it starts, so a batch this publisher drops -
 * the broker away longer than `maxPending` messages last - leaves running twins with older
 * values until the objects report again; it never blocks or grows ingest.
 */
export function mqttReadingsOutput(opts: MqttReadingsOptions): ReadingsOutput {
  const maxPending = opts.maxPending ?? 1000;
  const client: MqttClient = mqtt.connect(opts.url, {
    clientId: `${opts.clientId}-readings-${randomBytes(4).toString('hex')}`,
    protocolVersion: opts.protocolVersion,
    reconnectPeriod: 1000,
    connectTimeout: 10_000,
    log: () => {},
  });
  client.on('error', (err) => opts.log.warn({ err: err.message }, 'readings publisher: mqtt error'));
  const published = new Counter({
    name: 'ingest_readings_published_total',
    help: 'Readings published to READINGS_TOPIC and acknowledged by the broker',
    registers: [opts.registry],
  });
  const dropped = new Counter({
    name: 'ingest_readings_publish_dropped_total',
    help: 'Readings not published: the broker was away or refused them (twins catch up at their next start or reading)',
    registers: [opts.registry],
  });
  let pending = 0;
  const inFlight = new Set<Promise<void>>();

  const send = (message: Uint8Array, count: number) => {
    if (pending >= maxPending) {
      dropped.inc(count);
      return;
    }
    pending++;
    const sent = client
      .publishAsync(opts.topic, Buffer.from(message.buffer, message.byteOffset, message.byteLength), { qos: 1 })
      .then(
        () => published.inc(count),
        (err: Error) => {
          dropped.inc(count);
          opts.log.warn({ err: err.message, readings: count }, 'readings publisher: a batch was not published');
        },
      )
      .finally(() => {
        pending--;
        inFlight.delete(sent);
      });
    inFlight.add(sent);
  };

  return {
    name: 'mqtt-readings',
    deliver(readings: readonly Reading[]) {
      for (const message of encodeReadings(readings)) send(message.payload, message.readings);
    },
    async close() {
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([
        Promise.allSettled([...inFlight]),
        new Promise((resolve) => {
          timer = setTimeout(resolve, CLOSE_DEADLINE_MS);
        }),
      ]);
      clearTimeout(timer);
      await client.endAsync(true);
    },
  };
}
