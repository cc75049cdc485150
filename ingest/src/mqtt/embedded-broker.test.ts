import mqtt, { type IClientOptions, type MqttClient } from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type BrokerAccount, networkServerAccount } from './broker-accounts.ts';
import { type EmbeddedBroker, type FrameConsumer, MAX_PACKET_BYTES, startEmbeddedBroker } from './embedded-broker.ts';

const NS = networkServerAccount('network-server', 'ns-secret');
/** Sees everything: what a retained or queued message would reach. */
const OBSERVER: BrokerAccount = { username: 'observer', password: 'obs-secret', publish: [], subscribe: ['#'] };
const INGEST_ID = 'city-ingest';
const QUEUE_LIMIT = 5;
const EVENT = 'application/app-1/device/0011223344556677/event/up';

describe('the embedded broker is no open door', () => {
  let broker: EmbeddedBroker;
  /** What the consumer (ingest) was handed, and whether it was spooled when the PUBACK left. */
  const taken: { topic: string; payload: Buffer }[] = [];
  let spoolWrites = 0;
  let hold: Promise<void> | undefined;
  const consumer: FrameConsumer = {
    topics: ['application/+/device/+/event/+'],
    accept: (topic, payload) => {
      taken.push({ topic, payload: Buffer.from(payload) });
      return hold;
    },
    beforeAcks: () => {
      spoolWrites++;
    },
  };
  const clients: MqttClient[] = [];
  const connect = async (opts: IClientOptions) => {
    const client = await mqtt.connectAsync(broker.url, { reconnectPeriod: 0, connectTimeout: 5_000, ...opts });
    clients.push(client);
    return client;
  };
  const refusal = (opts: IClientOptions) =>
    connect(opts).then(
      () => 'connected',
      (err: Error & { code?: number }) => err.code,
    );
  const closed = (client: MqttClient) => new Promise<void>((resolve) => client.once('close', () => resolve()));

  beforeAll(async () => {
    broker = await startEmbeddedBroker({
      port: 0,
      host: '127.0.0.1',
      accounts: [NS, OBSERVER],
      reservedClientId: INGEST_ID,
      maxQueuedMessages: QUEUE_LIMIT,
    });
    broker.consume(consumer);
  });
  afterAll(async () => {
    for (const client of clients) client.end(true);
    await broker.close();
  });

  it('listens on loopback only, as configured', () => {
    expect(broker.url).toMatch(/^mqtt:\/\/127\.0\.0\.1:\d+$/);
  });

  it('refuses anonymous clients, unknown users and wrong passwords', async () => {
    expect(await refusal({})).toBe(4);
    expect(await refusal({ username: 'nobody', password: 'ns-secret' })).toBe(4);
    expect(await refusal({ username: NS.username, password: 'guess' })).toBe(4);
    expect(await refusal({ username: NS.username })).toBe(4);
  });

  it("refuses ingest's client id, even with the network server's credentials", async () => {
    expect(await refusal({ clientId: INGEST_ID, username: NS.username, password: NS.password })).toBe(2);
  });

  it('acknowledges an event only after the consumer spooled it', async () => {
    const ns = await connect({ username: NS.username, password: NS.password });
    const before = spoolWrites;
    await ns.publishAsync(EVENT, 'one', { qos: 1 });
    expect(taken.at(-1)).toMatchObject({ topic: EVENT, payload: Buffer.from('one') });
    expect(spoolWrites).toBeGreaterThan(before);

    // While the consumer has no room, the PUBACK waits.
    let room = () => {};
    hold = new Promise<void>((resolve) => {
      room = resolve;
    });
    let acked = false;
    const publishing = ns.publishAsync(EVENT, 'two', { qos: 1 }).then(() => {
      acked = true;
    });
    await new Promise((r) => setTimeout(r, 300));
    expect(acked).toBe(false);
    hold = undefined;
    room();
    await publishing;
    expect(taken.at(-1)?.payload.toString()).toBe('two');
  });

  it('keeps the network server within its ACL: no events of others, no topics outside it', async () => {
    const ns = await connect({ username: NS.username, password: NS.password });
    // Refused filters get the SUBACK failure code, which MQTT.js reports as an error.
    for (const filter of ['application/+/device/+/event/+', EVENT, '#'])
      await expect(ns.subscribeAsync(filter, { qos: 1 })).rejects.toThrow(/Subscribe error/);
    const downlinks = await ns.subscribeAsync('application/app-1/device/+/command/down', { qos: 1 });
    expect(downlinks[0]?.qos).toBe(1);
    const received = new Promise<string>((resolve) => ns.on('message', (topic) => resolve(topic)));
    await broker.publish('application/app-1/device/0011223344556677/command/down', Buffer.from('{}'));
    expect(await received).toBe('application/app-1/device/0011223344556677/command/down');

    const count = taken.length;
    const gone = closed(ns);
    ns.publish('application/app-1/device/0011223344556677/command/down', 'forged', { qos: 1 });
    await gone;
    expect(taken.length).toBe(count);
  });

  it('keeps no retained message on event topics', async () => {
    const ns = await connect({ username: NS.username, password: NS.password });
    await ns.publishAsync(EVENT, 'retained?', { qos: 1, retain: true });
    const observer = await connect({ username: OBSERVER.username, password: OBSERVER.password });
    const got: string[] = [];
    observer.on('message', (_topic, payload) => got.push(payload.toString()));
    await observer.subscribeAsync('application/#', { qos: 1 });
    await new Promise((r) => setTimeout(r, 300));
    expect(got).toEqual([]);
  });

  it(`ends a connection that sends a packet over ${MAX_PACKET_BYTES} bytes, before taking it`, async () => {
    const ns = await connect({ username: NS.username, password: NS.password });
    await ns.publishAsync(EVENT, Buffer.alloc(MAX_PACKET_BYTES - 1024), { qos: 1 });
    const count = taken.length;
    const gone = closed(ns);
    ns.publish(EVENT, Buffer.alloc(MAX_PACKET_BYTES + 1), { qos: 1 });
    await gone;
    expect(taken.length).toBe(count);
  });

  it(`queues at most ${QUEUE_LIMIT} messages for a session while its client is away`, async () => {
    const clientId = 'observer-offline';
    const away = await connect({ clientId, clean: false, username: OBSERVER.username, password: OBSERVER.password });
    await away.subscribeAsync('application/+/device/+/command/down', { qos: 1 });
    await away.endAsync();
    for (let i = 0; i < QUEUE_LIMIT * 3; i++)
      await broker.publish('application/app-1/device/0011223344556677/command/down', Buffer.from(String(i)));
    const got: string[] = [];
    const back = mqtt.connect(broker.url, {
      clientId,
      clean: false,
      reconnectPeriod: 0,
      username: OBSERVER.username,
      password: OBSERVER.password,
    });
    clients.push(back);
    back.on('message', (_topic, payload) => got.push(payload.toString()));
    await new Promise((r) => setTimeout(r, 500));
    expect(got).toEqual(['0', '1', '2', '3', '4']);
  });
});
