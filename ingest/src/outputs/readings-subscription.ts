import mqtt from 'mqtt';
import type { Logger } from 'pino';
import { redactUrl } from '../config/redact-url.ts';
import type { Reading } from '../contract/reading.ts';
import { decodeReadings, ReadingsMessageError } from '../contract/readings-message.ts';

export interface ReadingsSubscriptionOptions {
  url: string;
  /** Unique per subscribing process: two processes with one id would take each other's session over. */
  clientId: string;
  topic: string;
  log: Logger;
  /**
   * How long the broker keeps the session, and queues readings for it, while the process is away
   * (MQTT v5; default 120 s): a broker restart or a network blip loses nothing, while a process
   * that died leaves a queue for that long only - it rebuilds from the database when it starts
   * again anyway, under a new id. A process that stops cleanly ends its session at once.
   */
  sessionExpirySeconds?: number;
  /** 5 (Mosquitto, EMQX) unless the broker has no MQTT v5 (the embedded aedes: 4). */
  protocolVersion?: 4 | 5;
  /** How long to wait for the broker to take the subscription before giving up (default 30 s). */
  timeoutMs?: number;
}

export interface ReadingsSubscription {
  readonly connected: boolean;
  close(): Promise<void>;
}

/**
 * The other end of the MQTT readings output, for a process apart from ingest (the twin): a
 * persistent QoS 1 subscription to the readings topic that hands each message's readings to
 * `onReadings`. Resolves once the broker has acknowledged the subscription, so that whatever the
 * caller reads from the database afterwards overlaps, rather than misses, what arrives here.
 * A message that is not a readings message is logged and dropped.
 */
export async function subscribeReadings(
  opts: ReadingsSubscriptionOptions,
  onReadings: (readings: Reading[]) => void,
): Promise<ReadingsSubscription> {
  const client = mqtt.connect(opts.url, {
    clientId: opts.clientId,
    clean: false,
    protocolVersion: opts.protocolVersion ?? 5,
    reconnectPeriod: 1000,
    connectTimeout: 10_000,
    resubscribe: false,
    log: () => {},
    ...(opts.protocolVersion === 4
      ? {}
      : { properties: { sessionExpiryInterval: opts.sessionExpirySeconds ?? 120, receiveMaximum: 65_535 } }),
  });
  client.on('message', (topic, payload) => {
    let readings: Reading[];
    try {
      readings = decodeReadings(payload);
    } catch (err) {
      if (!(err instanceof ReadingsMessageError)) throw err;
      opts.log.warn({ err: err.message, topic, bytes: payload.length }, 'readings subscription: message dropped');
      return;
    }
    try {
      onReadings(readings);
    } catch (err) {
      opts.log.error({ err: (err as Error).message, topic }, 'readings subscription: the listener failed');
    }
  });
  client.on('error', (err) => opts.log.warn({ err: err.message }, 'readings subscription: mqtt error'));
  client.on('offline', () =>
    opts.log.warn({ url: redactUrl(opts.url) }, 'readings subscription offline; reconnecting'),
  );
  await new Promise<void>((resolve, reject) => {
    const timeoutMs = opts.timeoutMs ?? 30_000;
    const timer = setTimeout(
      () => reject(new Error(`no subscription to ${opts.topic} within ${timeoutMs / 1000} s`)),
      timeoutMs,
    );
    // Subscribing again on a present session is harmless and covers a broker that lost it.
    client.on('connect', () => {
      client.subscribe(opts.topic, { qos: 1 }, (err, granted) => {
        // A broker's ACL refuses in the SUBACK (a reason code of 0x80 or more), not as an error.
        const refused = err?.message ?? (granted?.some((g) => g.qos >= 0x80) ? 'refused by the broker' : undefined);
        if (refused) {
          opts.log.error({ err: refused, topic: opts.topic }, 'readings subscription refused');
          return;
        }
        opts.log.info({ topic: opts.topic, url: redactUrl(opts.url) }, 'readings subscribed');
        clearTimeout(timer);
        resolve();
      });
    });
  }).catch(async (err) => {
    await client.endAsync(true);
    throw err;
  });
  return {
    get connected() {
      return client.connected;
    },
    close: async () => {
      // MQTT v5 lets a DISCONNECT shorten the session's expiry: nothing is queued for a process that left.
      await client.endAsync(false, opts.protocolVersion === 4 ? {} : { properties: { sessionExpiryInterval: 0 } });
    },
  };
}
