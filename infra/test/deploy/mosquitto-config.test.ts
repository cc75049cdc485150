import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import mqtt, { type IClientOptions, type MqttClient } from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { bounded, sleep } from '../support/net.ts';
import {
  DEPLOY_COMPOSE_FILE,
  type DeploymentMosquitto,
  type MqttPasswords,
  runInitAuth,
  startDeploymentMosquitto,
} from './deployment-mosquitto.ts';

/**
 * infra/deploy's broker configuration (mosquitto.conf, acl, init-auth.sh) on the real Mosquitto
 * binary: who may connect, and who may read and write which topics, as the compose runs it.
 */

const PASSWORDS: MqttPasswords = {
  MQTT_CHIRPSTACK_PASSWORD: 'c0ffee01chirpstack',
  MQTT_GATEWAY_BRIDGE_PASSWORD: 'c0ffee02bridge',
  MQTT_INGEST_PASSWORD: 'c0ffee03ingest',
  MQTT_API_PASSWORD: 'c0ffee04api',
};
const USERS = {
  chirpstack: PASSWORDS.MQTT_CHIRPSTACK_PASSWORD,
  'gateway-bridge': PASSWORDS.MQTT_GATEWAY_BRIDGE_PASSWORD,
  ingest: PASSWORDS.MQTT_INGEST_PASSWORD,
  api: PASSWORDS.MQTT_API_PASSWORD,
} as const;
type User = keyof typeof USERS;

const EVENT_FILTER = 'application/+/device/+/event/+';
const eventTopic = (devEui: string) => `application/7/device/${devEui}/event/up`;
const downlinkTopic = (devEui: string) => `application/7/device/${devEui}/command/down`;
/** Reason code of a refused CONNECT or PUBLISH in MQTT 5: 134 bad user name or password, 135 not authorized. */
const REFUSED = [134, 135];

let broker: DeploymentMosquitto;
const clients: MqttClient[] = [];

beforeAll(async () => {
  broker = await startDeploymentMosquitto(PASSWORDS);
});
afterAll(async () => {
  await bounded(Promise.all(clients.map((c) => c.endAsync(true))));
  await bounded(broker?.destroy());
});

/** An MQTT 5 client that records every message it receives. */
async function connect(user: User, opts: IClientOptions = {}): Promise<MqttClient & { received: Received[] }> {
  const client = await mqtt.connectAsync(broker.url, {
    username: user,
    password: USERS[user],
    protocolVersion: 5,
    reconnectPeriod: 0,
    connectTimeout: 5000,
    ...opts,
  });
  clients.push(client);
  const received: Received[] = [];
  client.on('message', (topic, payload) => received.push({ topic, payload: payload.toString() }));
  return Object.assign(client, { received });
}
interface Received {
  topic: string;
  payload: string;
}

/** The reason code the broker refuses a connection with, or undefined when it accepts it. */
async function connectRefusal(opts: IClientOptions): Promise<number | undefined> {
  try {
    const client = await mqtt.connectAsync(broker.url, {
      protocolVersion: 5,
      reconnectPeriod: 0,
      connectTimeout: 5000,
      ...opts,
    });
    await client.endAsync(true);
    return undefined;
  } catch (err) {
    return (err as { code?: number }).code;
  }
}

/**
 * The reason code of a refused QoS 1 publish by `user`, or undefined when the broker took it.
 * A fresh connection each time: the connection of a refused publish is closed.
 */
async function publishRefusal(user: User, topic: string, payload: string): Promise<number | undefined> {
  const client = await connect(user);
  try {
    await client.publishAsync(topic, payload, { qos: 1 });
    return undefined;
  } catch (err) {
    return (err as { code?: number }).code;
  }
}

async function until(check: () => boolean, ms = 5000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('timed out');
    await sleep(20);
  }
}

describe('infra/deploy mosquitto config on the real broker', () => {
  it('the network server publishes events, and ingest reads them, on a shared subscription too', async () => {
    const plain = await connect('ingest', { clientId: 'city-ingest-plain' });
    const replicaA = await connect('ingest', { clientId: 'city-ingest-1', clean: false });
    const replicaB = await connect('ingest', { clientId: 'city-ingest-2', clean: false });
    await plain.subscribeAsync(EVENT_FILTER, { qos: 1 });
    for (const replica of [replicaA, replicaB])
      await replica.subscribeAsync(`$share/ingest/${EVENT_FILTER}`, { qos: 1 });
    const chirpstack = await connect('chirpstack', { clientId: 'chirpstack-integration', clean: false });

    const payloads = Array.from({ length: 20 }, (_, i) => `{"fCnt":${i}}`);
    for (const payload of payloads) await chirpstack.publishAsync(eventTopic('0102030405060708'), payload, { qos: 1 });

    await until(
      () =>
        plain.received.length === payloads.length &&
        replicaA.received.length + replicaB.received.length === payloads.length,
    );
    expect(plain.received.map((m) => m.payload)).toEqual(payloads);
    // The group splits the stream: every event reaches exactly one replica.
    const shared = [...replicaA.received, ...replicaB.received].map((m) => m.payload).sort();
    expect(shared).toEqual([...payloads].sort());
    expect(replicaA.received.length).toBeGreaterThan(0);
    expect(replicaB.received.length).toBeGreaterThan(0);
  });

  it('the api enqueues downlinks, and the network server reads them', async () => {
    const chirpstack = await connect('chirpstack');
    await chirpstack.subscribeAsync('application/+/device/+/command/+', { qos: 1 });
    const api = await connect('api', { clientId: 'city-api-1f2e3d4c' });

    await api.publishAsync(downlinkTopic('0102030405060708'), '{"fPort":85,"data":"AQ=="}', { qos: 1 });
    await until(() => chirpstack.received.length === 1);
    expect(chirpstack.received[0]?.topic).toBe(downlinkTopic('0102030405060708'));
  });

  it('refuses anonymous clients, unknown users and wrong passwords', async () => {
    expect(REFUSED).toContain(await connectRefusal({}));
    expect(REFUSED).toContain(await connectRefusal({ username: 'ingest' }));
    expect(REFUSED).toContain(await connectRefusal({ username: 'ingest', password: USERS.api }));
    expect(REFUSED).toContain(await connectRefusal({ username: 'admin', password: 'admin' }));
    // The healthcheck's password is random and made at each start, never a known one.
    expect(REFUSED).toContain(await connectRefusal({ username: 'healthcheck', password: '' }));
    // MQTT 3.1.1 clients (ChirpStack's bridge, older tools) get the same answer.
    expect(await connectRefusal({ protocolVersion: 4 })).toBe(5);
  });

  it("refuses every publish outside a user's ACL, and delivers none of them", async () => {
    const watcher = await connect('chirpstack');
    await watcher.subscribeAsync(['application/#', 'eu868/gateway/#'], { qos: 1 });

    const refusals = {
      // A fake uplink would be stored as if a device had sent it.
      ingestFakesUplink: await publishRefusal('ingest', eventTopic('00000000000000ff'), 'fake'),
      apiFakesUplink: await publishRefusal('api', eventTopic('00000000000000ff'), 'fake'),
      bridgeFakesUplink: await publishRefusal('gateway-bridge', eventTopic('00000000000000ff'), 'fake'),
      // Downlinks go through the api only, and only as ChirpStack's `down` command.
      ingestSendsDownlink: await publishRefusal('ingest', downlinkTopic('00000000000000ff'), 'switch off'),
      apiSendsOtherCommand: await publishRefusal('api', 'application/7/device/00000000000000ff/command/other', 'x'),
      // Nobody but ChirpStack and the bridge talks to gateways.
      apiCommandsGateway: await publishRefusal('api', 'eu868/gateway/0016c001f0000001/command/down', 'x'),
      ingestCommandsGateway: await publishRefusal('ingest', 'eu868/gateway/0016c001f0000001/command/down', 'x'),
    };
    for (const [what, code] of Object.entries(refusals)) expect({ what, code }).toEqual({ what, code: 135 });

    // A control message the watcher may see proves the refused ones had time to arrive.
    const chirpstack = await connect('chirpstack');
    await chirpstack.publishAsync(eventTopic('0000000000000001'), 'control', { qos: 1 });
    await until(() => watcher.received.some((m) => m.payload === 'control'));
    expect(watcher.received.map((m) => m.payload)).toEqual(['control']);
  });

  it("delivers nothing outside a user's ACL to its subscriptions", async () => {
    const subscribers = {
      api: await connect('api'),
      bridge: await connect('gateway-bridge'),
      ingestOnGateways: await connect('ingest'),
      ingestOnDownlinks: await connect('ingest'),
    };
    await subscribers.api.subscribeAsync(['application/#', `$share/ingest/${EVENT_FILTER}`], { qos: 1 });
    await subscribers.bridge.subscribeAsync('application/#', { qos: 1 });
    await subscribers.ingestOnGateways.subscribeAsync('eu868/gateway/#', { qos: 1 });
    await subscribers.ingestOnDownlinks.subscribeAsync('application/+/device/+/command/+', { qos: 1 });
    const control = await connect('ingest');
    await control.subscribeAsync(EVENT_FILTER, { qos: 1 });

    const chirpstack = await connect('chirpstack');
    const api = await connect('api');
    await chirpstack.publishAsync('eu868/gateway/0016c001f0000001/command/down', 'gateway downlink', { qos: 1 });
    await api.publishAsync(downlinkTopic('0102030405060708'), 'device downlink', { qos: 1 });
    await chirpstack.publishAsync(eventTopic('0102030405060708'), 'uplink', { qos: 1 });
    // Mosquitto delivers in order per publisher; after the control uplink nothing else is on its way.
    await until(() => control.received.length === 1);
    await sleep(200);
    for (const [who, client] of Object.entries(subscribers))
      expect({ who, got: client.received }).toEqual({ who, got: [] });
  });

  it('the compose healthcheck command succeeds with the password init-auth.sh made', () => {
    const compose = parse(readFileSync(DEPLOY_COMPOSE_FILE, 'utf8'));
    const [kind, command] = compose.services.mosquitto.healthcheck.test as [string, string];
    expect(kind).toBe('CMD-SHELL');
    // As compose runs it: `$$` is compose's escape for `$`; the auth folder and port are this test's.
    const here = command
      .replaceAll('$$', '$')
      .replaceAll('/mosquitto/auth', broker.authDir)
      .replace('-p 1883', `-p ${broker.port}`);
    expect(() => execFileSync('sh', ['-c', here], { stdio: 'pipe', timeout: 15_000 })).not.toThrow();
    expect(readFileSync(join(broker.authDir, 'healthcheck.pw'), 'utf8')).toMatch(/^[0-9a-f]{36}$/);
  });

  it('init-auth.sh refuses a missing password or the placeholder from .env.example', () => {
    const placeholder = runInitAuth({ ...PASSWORDS, MQTT_API_PASSWORD: 'CHANGE_ME_mqtt_api' });
    expect(placeholder.status).toBe(1);
    expect(placeholder.output).toContain("MQTT user 'api' still has the placeholder password");
    const missing = runInitAuth({ ...PASSWORDS, MQTT_INGEST_PASSWORD: '' });
    expect(missing.status).toBe(1);
    expect(missing.output).toContain("no password for MQTT user 'ingest'");
    expect(runInitAuth(PASSWORDS).status).toBe(0);
  });
});
