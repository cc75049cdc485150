import type { Command, CommandStreamEvent, CommandsAccepted, Device, ObjectStaffExtras } from '@city/twin/contract';
import type { MqttClient } from 'mqtt';
import { io, type Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectAsNetworkServer, DISPATCHER, KIOSK_KEY, logIn, OPERATOR } from '../support/demo-accounts.ts';
import { type EmbeddedDemo, startEmbeddedDemo } from '../support/embedded-demo.ts';
import { waitFor } from '../support/engines.ts';
import { bounded } from '../support/net.ts';

const WS52X = 'milesight-iot/ws52x';
const DIMMER = 'cayenne/lpp-dimmer';
const DOWNLINKS = 'application/demo-city/device/+/command/down';

/**
 * Streetlight commands end to end in `pnpm start`'s process: the API records a command and
 * publishes ingest's codec frame on the device's ChirpStack downlink topic; the simulated
 * controller (firmware-sim) hears it, switches, and reports; ingest decodes the report, and the
 * twin confirms the command and says so on the stream - to staff, not to the wall.
 */
describe('streetlight commands in the embedded demo', () => {
  let platform: EmbeddedDemo | undefined;
  let url = '';
  let token = '';
  let subscriber: MqttClient | undefined;
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
  const statusOf = async (id: number) =>
    (await api<{ commands: Command[] }>('/commands?limit=500')).body.commands.find((c) => c.id === id)?.status;

  beforeAll(async () => {
    platform = await startEmbeddedDemo(
      // Every device reports within ~6 s of the start, so the controllers are registered early.
      { DEMO_SPEED: '120', COMMAND_TIMEOUT_S: '60' },
      // No pages needed: skips the dashboard, which other suites build under us.
      { pages: false },
    );
    url = platform.url;
    token = await logIn(url, OPERATOR);
    subscriber = await connectAsNetworkServer(platform.mqttPort, `commands-test-${process.pid}`);
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
    await Promise.all([connect({ token }, staffEvents), connect({ token: KIOSK_KEY }, kioskEvents)]);
  }, 120_000);

  afterAll(async () => {
    for (const socket of sockets) socket.close();
    await subscriber?.endAsync();
    if (platform) await bounded(platform.close());
  });

  /** The demo's pole controllers of `model` that have reported, with their pole's cabinet. */
  const controlledPoles = async (model = WS52X) => {
    let poles: { number: string; devEui: string; cabinet: string }[] = [];
    await waitFor(`${model} pole controllers to report`, async () => {
      const devices = (await api<Device[]>(`/devices?model=${encodeURIComponent(model)}&limit=500`)).body;
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
    const water = await logIn(url, DISPATCHER);
    const refused = await api<{ error: string }>('/commands', {
      method: 'POST',
      body: { cabinet, action: 'off' },
      as: water,
    });
    expect(refused).toMatchObject({ status: 403, body: { error: 'forbidden' } });
  }, 120_000);

  it('dims a dimmable controller, and its report of the level confirms it', async () => {
    const [pole] = await controlledPoles(DIMMER);
    if (!pole) throw new Error('no dimmable pole controller');
    const res = await api<CommandsAccepted>(`/objects/${pole.number}/command`, {
      method: 'POST',
      body: { action: 'dim', level: 50 },
    });
    expect(res.status).toBe(202);
    const [command] = res.body.commands;
    // LPP records: relay on (digital output 1), level 50 % ×100 (analog output 1).
    expect(command).toMatchObject({ devEui: pole.devEui, level: 50, bytes: '01010101031388', fPort: 1 });
    await waitFor('the command confirmed', async () => (await statusOf(command?.id as number)) === 'confirmed', 30_000);
    const card = (await api<ObjectStaffExtras>(`/objects/${pole.number}`)).body;
    expect(card.live?.metrics.dim_level?.value).toBe(50);
  }, 90_000);
});
