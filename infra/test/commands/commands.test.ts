import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEMO_PASSWORDS } from '@city/twin';
import type { Command, CommandStreamEvent, CommandsAccepted, Device } from '@city/twin/contract';
import mqtt from 'mqtt';
import { io, type Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitFor } from '../support/engines.ts';
import { bounded, freePort } from '../support/net.ts';
import { type ServiceProcess, spawnEmbedded } from '../support/service-process.ts';

const WS52X = 'milesight-iot/ws52x';
const DOWNLINKS = 'application/demo-city/device/+/command/down';

/**
 * Streetlight commands end to end in `pnpm start`'s process: the API records a command and
 * publishes ingest's codec frame on the device's ChirpStack downlink topic; the simulated
 * controller (firmware-sim) hears it, switches, and reports; ingest decodes the report, and the
 * twin confirms the command and says so on the stream - to staff, not to the wall.
 */
describe('streetlight commands in the embedded demo', () => {
  let platform: ServiceProcess | undefined;
  let dataDir = '';
  let url = '';
  let token = '';
  let subscriber: mqtt.MqttClient | undefined;
  const downlinks: { topic: string; message: { devEui: string; fPort: number; data: string } }[] = [];
  const sockets: Socket[] = [];
  const staffEvents: CommandStreamEvent[] = [];
  const kioskEvents: CommandStreamEvent[] = [];

  const api = async <T>(path: string, init: { method?: string; body?: unknown; as?: string } = {}) => {
    const res = await fetch(`${url}/api/v1${path}`, {
      method: init.method ?? 'GET',
      headers: {
        authorization: `Bearer ${init.as ?? token}`,
        ...(init.body ? { 'content-type': 'application/json' } : {}),
      },
      body: init.body ? JSON.stringify(init.body) : undefined,
    });
    return { status: res.status, body: (await res.json()) as T };
  };
  const login = async (username: string, password: string) =>
    (await api<{ token: string }>('/auth/login', { method: 'POST', body: { username, password }, as: 'none' })).body
      .token;
  const statusOf = async (id: number) =>
    (await api<{ commands: Command[] }>('/commands?limit=500')).body.commands.find((c) => c.id === id)?.status;

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'city-commands-'));
    const mqttPort = await freePort();
    platform = await spawnEmbedded({
      DATABASE_URL: '',
      MQTT_URL: '',
      REDIS_URL: '',
      DATA_DIR: dataDir,
      MQTT_PORT: String(mqttPort),
      DEMO_DEVICES: '300',
      // Every device reports within ~6 s of the start, so the controllers are registered early.
      DEMO_SPEED: '120',
      COMMAND_TIMEOUT_S: '60',
      // No pages needed: skips building the dashboard, which other suites change under us.
      DASHBOARD_DIR: dataDir,
      LOG_LEVEL: 'warn',
    });
    url = `http://127.0.0.1:${platform.port}`;
    token = await login('operator', DEMO_PASSWORDS.operator);
    subscriber = await mqtt.connectAsync(`mqtt://127.0.0.1:${mqttPort}`, {
      clientId: `commands-test-${process.pid}`,
      username: 'chirpstack',
      password: 'chirpstack-demo',
    });
    subscriber.on('message', (topic, payload) => downlinks.push({ topic, message: JSON.parse(payload.toString()) }));
    await subscriber.subscribeAsync(DOWNLINKS, { qos: 1 });
    const connect = (auth: Record<string, string>, into: CommandStreamEvent[]) =>
      new Promise<void>((resolve, reject) => {
        const socket = io(url, { path: '/socket.io', transports: ['websocket'], auth });
        sockets.push(socket);
        socket.on('command', (event: CommandStreamEvent) => into.push(event));
        socket.once('resumed', () => resolve());
        socket.once('connect_error', reject);
      });
    await Promise.all([connect({ token }, staffEvents), connect({ token: 'demo-kiosk' }, kioskEvents)]);
  }, 120_000);

  afterAll(async () => {
    for (const socket of sockets) socket.close();
    await subscriber?.endAsync();
    if (platform) await bounded(platform.stop());
    await rm(dataDir, { recursive: true, force: true });
  });

  /** The demo's pole controllers that have reported, with their pole's cabinet. */
  const controlledPoles = async () => {
    let poles: { number: string; devEui: string; cabinet: string }[] = [];
    await waitFor('pole controllers to report', async () => {
      const devices = (await api<Device[]>(`/devices?model=${encodeURIComponent(WS52X)}&limit=500`)).body;
      const bound = devices.filter((d) => d.objectNumber && d.lastSeen && d.applicationId === 'demo-city');
      poles = await Promise.all(
        bound.map(async (d) => {
          const card = (await api<{ attributes: { cabinet?: string } }>(`/objects/${d.objectNumber}`)).body;
          return { number: d.objectNumber as string, devEui: d.devEui, cabinet: card.attributes.cabinet ?? '' };
        }),
      );
      return poles.length >= 3;
    });
    return poles;
  };

  it('publishes the codec’s frame, shows the command pending, and the device’s report confirms it', async () => {
    const [pole] = await controlledPoles();
    if (!pole) throw new Error('no pole controller');
    const res = await api<CommandsAccepted>(`/objects/${pole.number}/command`, {
      method: 'POST',
      body: { action: 'off' },
    });
    expect(res.status).toBe(202);
    const [command] = res.body.commands;
    expect(command).toMatchObject({ devEui: pole.devEui, status: 'pending', bytes: '080000ff', fPort: 85 });
    await waitFor('the downlink on the broker', async () => downlinks.length > 0, 10_000);
    expect(downlinks[0]?.topic).toBe(`application/demo-city/device/${pole.devEui}/command/down`);
    expect(downlinks[0]?.message).toMatchObject({ devEui: pole.devEui, fPort: 85 });
    expect(Buffer.from(downlinks[0]?.message.data ?? '', 'base64').toString('hex')).toBe('080000ff');

    await waitFor('the command confirmed', async () => (await statusOf(command?.id as number)) === 'confirmed', 30_000);
    await waitFor('the stream to say so', async () => staffEvents.some((e) => e.status === 'confirmed'), 5000);
    expect(staffEvents.filter((e) => e.id === command?.id).map((e) => e.status)).toEqual(['pending', 'confirmed']);
    expect(kioskEvents).toEqual([]);
    // The pole's card has nothing pending any more.
    expect((await api<{ commands: Command[] }>(`/objects/${pole.number}`)).body.commands).toEqual([]);
  }, 90_000);

  it('commands every light of a cabinet’s row, and each report confirms its own', async () => {
    const poles = await controlledPoles();
    // The cabinet with the most reporting controllers (the demo plays an even pick of the city's devices).
    const counts = new Map<string, number>();
    for (const p of poles) if (p.cabinet) counts.set(p.cabinet, (counts.get(p.cabinet) ?? 0) + 1);
    const [cabinet] = [...counts.entries()].sort((a, b) => b[1] - a[1])[0] ?? [];
    if (!cabinet) throw new Error('no pole names a cabinet');
    const res = await api<CommandsAccepted>('/commands', { method: 'POST', body: { cabinet, action: 'on' } });
    expect(res.status).toBe(202);
    const expected = poles.filter((p) => p.cabinet === cabinet).map((p) => p.devEui);
    expect(res.body.commands.map((c) => c.devEui).sort()).toEqual([...expected].sort());
    // The rest of the row has no controller in this demo: each is listed with its reason.
    for (const s of res.body.skipped) expect(s.reason).toMatch(/no device bound|no device that takes/);
    for (const c of res.body.commands) {
      await waitFor(`command ${c.id} confirmed`, async () => (await statusOf(c.id)) === 'confirmed', 30_000);
    }
    const sent = new Set(downlinks.map((d) => d.message.devEui));
    for (const devEui of expected) expect(sent.has(devEui)).toBe(true);

    // A dispatcher of the water utility may not switch the lighting utility's lights.
    const water = await login('dispatcher', DEMO_PASSWORDS.dispatcher);
    const refused = await api<{ error: string }>('/commands', {
      method: 'POST',
      body: { cabinet, action: 'off' },
      as: water,
    });
    expect(refused).toMatchObject({ status: 403, body: { error: 'forbidden' } });
  }, 120_000);
});
