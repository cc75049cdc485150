import { format } from 'node:util';
import mqtt, { type MqttClient } from 'mqtt';
import type { Logger } from 'pino';
import { redactUrl } from '../config/redact-url.ts';

export interface SubscriberOptions {
  url: string;
  clientId: string;
  topics: string[];
  /** MQTT v5 shared-subscription group; replicas in one group split the stream. */
  shareGroup?: string | undefined;
  /** 5 for Mosquitto/EMQX; 4 for brokers without MQTT v5 (the embedded aedes). */
  protocolVersion: 4 | 5;
  /** How long the broker keeps the session (and queues for it) while ingest is away; MQTT v5 only. */
  sessionExpirySeconds: number;
  /** Runs before acknowledgements leave for the broker (ingest writes its spool here). */
  beforeAcks?: () => void;
}

/**
 * A persistent QoS 1 subscription whose acknowledgements wait for `handle`: MQTT.js sends
 * PUBACK only when `handleMessage`'s callback runs, so while ingest's buffer is full the broker
 * keeps the rest of the stream queued in our session instead of pushing it at us.
 */
export function subscribe(
  opts: SubscriberOptions,
  /** Undefined when the frame is taken at once; otherwise the acknowledgement waits for the promise. */
  handle: (topic: string, payload: Uint8Array) => Promise<void> | undefined,
  log: Logger,
): MqttClient {
  const client = mqtt.connect(opts.url, {
    clientId: opts.clientId,
    clean: false,
    protocolVersion: opts.protocolVersion,
    reconnectPeriod: 1000,
    resubscribe: false,
    connectTimeout: 10_000,
    // MQTT.js traces every packet through `debug`; switched off, that still took ~2 % of the
    // ingest thread in a profile. Its trace goes to our log when LOG_LEVEL is trace.
    log: log.isLevelEnabled('trace') ? (...args: unknown[]) => log.trace(format(...args)) : () => {},
    ...(opts.protocolVersion === 5
      ? { properties: { sessionExpiryInterval: opts.sessionExpirySeconds, receiveMaximum: 65_535 } }
      : {}),
  });
  const filters = opts.topics.map((t) => (opts.shareGroup ? `$share/${opts.shareGroup}/${t}` : t));
  const beforeAcks = opts.beforeAcks ?? (() => {});
  const grouped = groupAcknowledgements(client, beforeAcks);
  client.handleMessage = (packet, done) => {
    const acknowledge = () => {
      if (!grouped.isCorked()) beforeAcks();
      done();
    };
    const pending = handle(packet.topic, packet.payload as Buffer);
    if (!pending) {
      acknowledge();
      return;
    }
    pending.then(acknowledge, (err: Error) => {
      // accept() does not reject; if it ever does, acknowledge anyway rather than stall the session.
      log.error({ err: err.message, topic: packet.topic }, 'frame handler failed');
      acknowledge();
    });
  };
  client.on('connect', (connack) => {
    log.info({ url: redactUrl(opts.url), sessionPresent: connack.sessionPresent, filters }, 'mqtt connected');
    // Subscribing again on a present session is harmless and covers a broker that lost it.
    client.subscribe(filters, { qos: 1 }, (err) => {
      if (err) log.error({ err: err.message }, 'mqtt subscribe failed');
      else log.info({ filters }, 'mqtt subscribed');
    });
  });
  client.on('error', (err) => log.warn({ err: err.message }, 'mqtt error'));
  client.on('offline', () => log.warn({ url: redactUrl(opts.url) }, 'mqtt offline; reconnecting'));
  return client;
}

/**
 * MQTT.js writes every PUBACK to the socket on its own, one syscall each; at thousands of
 * uplinks per second that was the largest single cost in the ingest profile. Corking the socket
 * when a packet arrives and uncorking on the next turn of the event loop sends all the
 * acknowledgements of one read in one write - after `beforeAcks` has run, so the spool write
 * of those frames is one write too, and always precedes their acknowledgements.
 * `isCorked()` tells the message handler whether its acknowledgement will wait for that.
 */
function groupAcknowledgements(client: MqttClient, beforeAcks: () => void): { isCorked(): boolean } {
  let corked = false;
  client.on('packetreceive', () => {
    const socket = client.stream as unknown as { cork?: () => void; uncork?: () => void } | undefined;
    if (corked || !socket?.cork || !socket.uncork) return;
    corked = true;
    socket.cork();
    setImmediate(() => {
      corked = false;
      beforeAcks();
      socket.uncork?.();
    });
  });
  return { isCorked: () => corked };
}
