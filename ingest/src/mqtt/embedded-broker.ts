import { once } from 'node:events';
import { createServer, type Server } from 'node:net';
import { Aedes, type AuthenticateError, type Client } from 'aedes';
import type { Logger } from 'pino';
import { boundQueues, type OutgoingQueues } from './bounded-queues.ts';
import { type BrokerAccount, login, mayPublish, maySubscribe } from './broker-accounts.ts';
import { limitPacketSize } from './packet-size-limit.ts';
import { topicMatches } from './topic-filter.ts';

/** Largest MQTT packet a client may send; a ChirpStack event is a few kilobytes. */
export const MAX_PACKET_BYTES = 256 * 1024;
/** Most unacknowledged QoS 1 messages a persistent session holds (downlinks for a network server). */
export const MAX_QUEUED_MESSAGES = 10_000;

export interface EmbeddedBrokerOptions {
  port: number;
  /** The address to listen on: loopback unless the operator opens it. */
  host: string;
  accounts: BrokerAccount[];
  /** Ingest's MQTT client id: no client may connect with it (see `consume`). */
  reservedClientId: string;
  maxPacketBytes?: number;
  maxQueuedMessages?: number;
  log?: Logger;
}

/** What takes frames from the broker's publish path: ingest's pipeline and spool. */
export interface FrameConsumer {
  /** Topic filters whose frames it takes. */
  topics: string[];
  /** Undefined when the frame is taken; otherwise the PUBACK waits for the promise. */
  accept(topic: string, payload: Uint8Array): Promise<void> | undefined;
  /** Writes what was accepted to the spool; runs before the PUBACKs of those frames leave. */
  beforeAcks(): void;
}

export interface EmbeddedBroker {
  port: number;
  /** Where clients connect, without credentials. */
  url: string;
  readonly connected: boolean;
  /**
   * Hands every frame published on the consumer's topics to it, and holds the publisher's
   * PUBACK until the consumer has spooled the frame - a PUBACK means the frame is kept.
   * Ingest in embedded mode is fed this way rather than as an MQTT client of its own broker:
   * a broker acknowledges a publish before it delivers it to subscribers, so only on the
   * publish path can the acknowledgement wait for the spool.
   * Returns `detach`: from then on frames on those topics are refused unacknowledged (the
   * publisher sends them again), never acknowledged into a spool that is closing.
   */
  consume(consumer: FrameConsumer): () => void;
  /** Publishes on the broker's behalf (downlinks), past the accounts' ACLs. */
  publish(topic: string, payload: Uint8Array): Promise<void>;
  close(): Promise<void>;
}

/**
 * The in-process MQTT broker of embedded mode (aedes, MQTT 3.1.1), closed by default: it listens
 * on `host`, admits only its accounts, each within its ACL, keeps no retained messages, caps
 * packet size and session queues. If the wanted port is taken - this machine runs Mosquitto on
 * 1883 - it says so and takes a free port instead.
 */
export async function startEmbeddedBroker(opts: EmbeddedBrokerOptions): Promise<EmbeddedBroker> {
  const { log } = opts;
  const broker = await Aedes.createBroker();
  const accountOf = new WeakMap<Client, BrokerAccount>();
  let intake: { consumer: FrameConsumer; open: boolean } | undefined;
  const held = heldAcks(() => intake?.consumer.beforeAcks());

  broker.authenticate = (client, username, password, done) => {
    if (client.id === opts.reservedClientId) return done(refusal('client id reserved for ingest', 2), false);
    const account = login(opts.accounts, username, password);
    if (!account) return done(refusal('bad username or password', 4), false);
    accountOf.set(client, account);
    done(null, true);
  };
  broker.authorizePublish = (client, packet, done) => {
    const account = client && accountOf.get(client);
    if (!account || !mayPublish(account, packet.topic))
      return done(new Error(`not allowed to publish ${packet.topic}`));
    // A retained event would be replayed to every new subscriber as if it were new, and each
    // topic's last one would be kept in memory for good: the broker keeps none.
    packet.retain = false;
    if (!intake?.consumer.topics.some((filter) => topicMatches(filter, packet.topic))) return done(null);
    if (!intake.open) return done(new Error('ingest is stopping; publish again after its restart'));
    const pending = intake.consumer.accept(packet.topic, packet.payload as Buffer);
    if (!pending) return held.ackAfterSpool(done);
    pending.then(
      () => held.ackAfterSpool(done),
      (err: Error) => {
        // accept() does not reject; if it ever does, acknowledge rather than stall the publisher.
        log?.error({ err: err.message, topic: packet.topic }, 'frame handler failed');
        held.ackAfterSpool(done);
      },
    );
  };
  broker.authorizeSubscribe = (client, sub, done) => {
    const account = accountOf.get(client);
    // A refused filter gets the SUBACK failure code (0x80); the connection stays.
    done(null, account && maySubscribe(account, sub.topic) ? sub : null);
  };
  // aedes' typings leave its persistence out; the instance is the in-memory default.
  const { persistence } = broker as unknown as { persistence: OutgoingQueues };
  boundQueues(persistence, opts.maxQueuedMessages ?? MAX_QUEUED_MESSAGES, (clientId) =>
    log?.warn({ clientId }, 'session queue full; message not queued for this client'),
  );
  broker.on('clientError', (client, err) => log?.warn({ clientId: client.id, err: err.message }, 'mqtt client error'));
  broker.on('connectionError', (client, err) =>
    log?.warn({ clientId: client.id, err: err.message }, 'mqtt connection refused'),
  );

  const maxPacketBytes = opts.maxPacketBytes ?? MAX_PACKET_BYTES;
  const server = createServer((socket) => {
    const conn = limitPacketSize(socket, maxPacketBytes, (err) =>
      log?.warn({ err: err.message, from: socket.remoteAddress }, 'mqtt connection ended'),
    );
    broker.handle(conn);
  });
  const port = await listen(server, opts.host, opts.port).catch(async (err: NodeJS.ErrnoException) => {
    if (err.code !== 'EADDRINUSE' || opts.port === 0) throw err;
    const free = await listen(server, opts.host, 0);
    log?.warn(`MQTT port ${opts.port} is taken (another broker is running there); embedded broker uses port ${free}`);
    return free;
  });
  const urlHost = opts.host === '0.0.0.0' || opts.host === '::' ? '127.0.0.1' : opts.host;
  return {
    port,
    url: `mqtt://${urlHost.includes(':') ? `[${urlHost}]` : urlHost}:${port}`,
    get connected() {
      return !broker.closed;
    },
    consume: (consumer) => {
      const taking = { consumer, open: true };
      intake = taking;
      return () => {
        taking.open = false;
      };
    },
    publish: (topic, payload) =>
      new Promise<void>((resolve, reject) =>
        broker.publish(
          { cmd: 'publish', topic, payload: Buffer.from(payload), qos: 1, retain: false, dup: false },
          (err) => (err ? reject(err) : resolve()),
        ),
      ),
    close: async () => {
      await new Promise<void>((resolve) => broker.close(() => resolve()));
      server.close();
    },
  };
}

function refusal(message: string, returnCode: number): AuthenticateError {
  return Object.assign(new Error(message), { returnCode }) as AuthenticateError;
}

/**
 * PUBACKs wait for the spool: the frames taken in one event-loop turn are written with one
 * spool write, then all their acknowledgements go - as the external broker's subscriber does.
 */
function heldAcks(flushSpool: () => void) {
  let waiting: ((err: null) => void)[] = [];
  return {
    ackAfterSpool(done: (err: null) => void): void {
      waiting.push(done);
      if (waiting.length > 1) return;
      setImmediate(() => {
        flushSpool();
        const acks = waiting;
        waiting = [];
        for (const ack of acks) ack(null);
      });
    },
  };
}

async function listen(server: Server, host: string, port: number): Promise<number> {
  server.listen(port, host);
  await Promise.race([
    once(server, 'listening'),
    once(server, 'error').then(([err]) => {
      throw err;
    }),
  ]);
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('broker has no TCP address');
  return address.port;
}
