import { type Db, DeviceRegistry, openPglite, type Reading } from '@city/ingest';
import { Registry } from 'prom-client';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { testServer } from '../../test/test-server.ts';
import type { Command, CommandStreamEvent, CommandsAccepted } from '../contract/commands.ts';
import { MAX_BATCH_COMMANDS } from '../contract/commands.ts';
import type { ReadingsSource } from '../live/readings-source.ts';
import { migrateTwin } from '../migrate.ts';
import { importObjects } from '../objects/import/import-objects.ts';
import { seedReferenceData } from '../objects/reference-data.ts';
import type { LiveEvent } from '../stream/live-hub.ts';

const WS52X = 'milesight-iot/ws52x';
const DIMMER = 'cayenne/lpp-dimmer';
const APP = 'test-city';
const CABINET = 'ШС-07-00001';
/**
 * Poles 1-3 on the cabinet, each with a WS52x; pole 4 on it without a controller; pole 5 a bin
 * sensor's; pole 6 off the cabinet, with a dimmable controller.
 */
const pole = (n: number) => `ОП-07-0000${n}`;
const eui = (n: number) => `70b3d5e75e00000${n}`;

async function seed(db: Db): Promise<void> {
  await migrateTwin(db);
  await seedReferenceData(db);
  const at = (i: number) => ({ type: 'Point', coordinates: [35.1 + i * 0.0005, 47.81] });
  const features = [
    { type: 'Feature', geometry: at(0), properties: { number: CABINET, type: 'cabinet' } },
    ...[1, 2, 3, 4, 5, 6].map((n) => ({
      type: 'Feature',
      geometry: at(n),
      properties: { number: pole(n), type: 'pole', ...(n <= 4 ? { cabinet: CABINET } : {}) },
    })),
    { type: 'Feature', geometry: at(9), properties: { number: 'СМ-07-00001', type: 'bin' } },
  ];
  const report = await importObjects(db, { format: 'geojson', collection: { features } }, { mode: 'all-or-nothing' });
  if (!report.written) throw new Error(`objects not imported: ${JSON.stringify(report.rejected)}`);
}

describe('streetlight commands through the API', async () => {
  const db = await openPglite();
  const sent: { topic: string; message: Record<string, unknown> }[] = [];
  let brokerUp = true;
  let hear: (readings: Reading[]) => void = () => {};
  const readings: ReadingsSource = {
    listen: async (listener) => {
      hear = listener;
      return async () => {};
    },
  };
  const published: LiveEvent[] = [];
  const server = await testServer(
    {
      ingest: {
        db,
        registry: new DeviceRegistry(db),
        publish: async (topic, payload) => {
          if (!brokerUp) throw new Error('connection refused');
          sent.push({ topic, message: JSON.parse(payload.toString()) });
        },
        checks: {},
        metricRegistries: [new Registry()],
      },
      readings,
      hub: { publish: (events) => published.push(...events) },
      commands: { timeoutMs: 60_000, sweepMs: 50 },
    },
    { open: async () => db, before: seed },
  );
  afterAll(() => server.close());
  const admin = await server.as('admin');
  const operator = await server.as('operator');
  const lighting = await server.as('dispatcher', 'misksvitlo');
  const water = await server.as('dispatcher', 'vodokanal');
  const viewer = await server.as('viewer');
  for (const n of [1, 2, 3]) {
    const res = await admin({
      method: 'POST',
      url: '/api/v1/devices',
      payload: { devEui: eui(n), model: WS52X, applicationId: APP, objectNumber: pole(n) },
    });
    if (res.statusCode >= 300) throw new Error(`device not registered: ${res.body}`);
  }
  for (const [n, model] of [
    [5, 'milesight-iot/em310-udl'],
    [6, DIMMER],
  ] as const) {
    await admin({
      method: 'POST',
      url: '/api/v1/devices',
      payload: { devEui: eui(n), model, applicationId: APP, objectNumber: pole(n) },
    });
  }

  const uplink = (n: number, lampOn: boolean, timeMs = Date.now()): Reading[] => [
    { timeMs, devEui: eui(n), objectNumber: pole(n), metric: 'power', value: lampOn ? 80 : 0 },
    { timeMs, devEui: eui(n), objectNumber: pole(n), metric: 'lamp_on', value: lampOn ? 1 : 0 },
  ];
  const commandsOf = async (query: string) =>
    ((await operator({ url: `/api/v1/commands?${query}` })).json() as { commands: Command[] }).commands;
  const statusOf = async (id: number) => (await commandsOf('limit=500')).find((c) => c.id === id)?.status;
  const streamed = () => published.filter((e) => e.event === 'command').map((e) => e.payload as CommandStreamEvent);

  it('sends the codec’s frame on the device’s downlink topic and keeps the command pending', async () => {
    const res = await operator({
      method: 'POST',
      url: `/api/v1/objects/${pole(1)}/command`,
      payload: { action: 'off' },
    });
    expect(res.statusCode).toBe(202);
    const [command] = (res.json() as CommandsAccepted).commands;
    expect(command).toMatchObject({
      objectNumber: pole(1),
      devEui: eui(1),
      action: 'off',
      level: null,
      status: 'pending',
      requestedBy: 'operator-of-the-test',
      bytes: '080000ff',
      fPort: 85,
    });
    expect(sent.at(-1)).toEqual({
      topic: `application/${APP}/device/${eui(1)}/command/down`,
      message: { devEui: eui(1), confirmed: false, fPort: 85, data: Buffer.from([8, 0, 0, 0xff]).toString('base64') },
    });
    const card = (await operator({ url: `/api/v1/objects/${pole(1)}` })).json();
    expect(card.commands).toEqual([expect.objectContaining({ id: command?.id, status: 'pending' })]);
    expect((await commandsOf(`status=pending&object=${pole(1)}`)).map((c) => c.id)).toEqual([command?.id]);
    expect(streamed().at(-1)).toMatchObject({ id: command?.id, status: 'pending', objectNumber: pole(1) });
    // Staff who only read see no commands on the card.
    expect((await viewer({ url: `/api/v1/objects/${pole(1)}` })).json().commands).toBeUndefined();
    const audit = (await admin({ url: '/api/v1/audit?limit=5' })).json();
    expect(JSON.stringify(audit)).toContain('/api/v1/objects/:number/command');
  });

  it('is confirmed by the next uplink that shows the lamp in the commanded state', async () => {
    const [command] = await commandsOf(`status=pending&object=${pole(1)}`);
    // An uplink from before the command says nothing of it.
    hear(uplink(1, true, Date.parse(command?.createdAt as string) - 1000));
    hear(uplink(1, false));
    await vi.waitFor(async () => expect(await statusOf(command?.id as number)).toBe('confirmed'));
    expect(streamed().at(-1)).toMatchObject({ id: command?.id, status: 'confirmed' });
    expect((await operator({ url: `/api/v1/objects/${pole(1)}` })).json().commands).toEqual([]);
  });

  it('fails when two uplinks after the command show another state', async () => {
    const res = await operator({
      method: 'POST',
      url: `/api/v1/objects/${pole(2)}/command`,
      payload: { action: 'on' },
    });
    const [command] = (res.json() as CommandsAccepted).commands;
    hear(uplink(2, false));
    hear(uplink(2, false, Date.now() + 1));
    await vi.waitFor(async () => expect(await statusOf(command?.id as number)).toBe('failed'));
    const [failed] = await commandsOf(`status=failed&object=${pole(2)}`);
    expect(failed?.detail).toBe('the device reported lamp off');
  });

  it('commands a cabinet’s whole row, listing the poles it could not command', async () => {
    const res = await lighting({
      method: 'POST',
      url: '/api/v1/commands',
      payload: { cabinet: CABINET, action: 'on' },
    });
    expect(res.statusCode).toBe(202);
    const body = res.json() as CommandsAccepted;
    expect(body.commands.map((c) => c.objectNumber).sort()).toEqual([pole(1), pole(2), pole(3)]);
    expect(body.commands.every((c) => c.status === 'pending' && c.bytes === '080100ff')).toBe(true);
    expect(body.skipped).toEqual([{ objectNumber: pole(4), reason: `${pole(4)} has no device bound` }]);
    for (const n of [1, 2, 3]) hear(uplink(n, true));
    for (const c of body.commands) {
      await vi.waitFor(async () => expect(await statusOf(c.id)).toBe('confirmed'));
    }
  });

  it('dims a dimmable controller, confirmed by the level it reports; a switch-only one is skipped', async () => {
    const res = await lighting({
      method: 'POST',
      url: '/api/v1/commands',
      payload: { numbers: [pole(1), pole(6)], action: 'dim', level: 40 },
    });
    expect(res.statusCode).toBe(202);
    const body = res.json() as CommandsAccepted;
    const [command] = body.commands;
    // The LPP dimmer's frame: relay on (digital output 1), level 40 % (analog output 1, ×100).
    expect(body.commands).toEqual([
      expect.objectContaining({ objectNumber: pole(6), action: 'dim', level: 40, bytes: '01010101030fa0', fPort: 1 }),
    ]);
    expect(body.skipped).toEqual([
      {
        objectNumber: pole(1),
        reason: `${pole(1)} has no device that takes this command: ${eui(1)} (${WS52X}): this controller only switches its outputs; it has no dimmer`,
      },
    ]);
    const level = (value: number, timeMs = Date.now()): Reading[] => [
      { timeMs, devEui: eui(6), objectNumber: pole(6), metric: 'lamp_on', value: 1 },
      { timeMs, devEui: eui(6), objectNumber: pole(6), metric: 'dim_level', value },
    ];
    // Lit at full light is not yet the level asked for; 42 % is, within the tolerance.
    hear(level(100));
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(await statusOf(command?.id as number)).toBe('pending');
    hear(level(42, Date.now() + 1));
    await vi.waitFor(async () => expect(await statusOf(command?.id as number)).toBe('confirmed'));
    expect((await commandsOf(`object=${pole(6)}`))[0]?.detail).toBe('dim level 42%');
  });

  it('fails an older pending command of a device when a newer one is sent', async () => {
    const first = (
      await operator({ method: 'POST', url: `/api/v1/objects/${pole(3)}/command`, payload: { action: 'off' } })
    ).json() as CommandsAccepted;
    const second = (
      await operator({ method: 'POST', url: `/api/v1/objects/${pole(3)}/command`, payload: { action: 'on' } })
    ).json() as CommandsAccepted;
    const firstId = first.commands[0]?.id as number;
    expect(await statusOf(firstId)).toBe('failed');
    expect((await commandsOf(`object=${pole(3)}&status=failed`))[0]?.detail).toBe(
      `superseded by command ${second.commands[0]?.id}`,
    );
  });

  it('fails a command at once when the broker does not take its downlink', async () => {
    brokerUp = false;
    try {
      const res = await operator({
        method: 'POST',
        url: `/api/v1/objects/${pole(3)}/command`,
        payload: { action: 'off' },
      });
      expect(res.statusCode).toBe(202);
      expect((res.json() as CommandsAccepted).commands[0]).toMatchObject({
        status: 'failed',
        detail: 'the broker did not take the downlink: connection refused',
      });
    } finally {
      brokerUp = true;
    }
  });

  it('answers 4xx with a message for what cannot be commanded', async () => {
    const post = (url: string, payload: object, as = operator) => as({ method: 'POST', url, payload });
    const cases: [Promise<{ statusCode: number; json(): { error: string; message: string } }>, number, string][] = [
      [post('/api/v1/objects/ОП-07-99999/command', { action: 'on' }), 404, 'unknown_object'],
      [post(`/api/v1/objects/${pole(4)}/command`, { action: 'on' }), 422, 'no_downlink'],
      [post(`/api/v1/objects/${pole(5)}/command`, { action: 'on' }), 422, 'no_downlink'],
      [post('/api/v1/objects/СМ-07-00001/command', { action: 'off' }), 422, 'no_downlink'],
      [post(`/api/v1/objects/${pole(1)}/command`, { action: 'dim', level: 40 }), 422, 'no_downlink'],
      [post(`/api/v1/objects/${pole(1)}/command`, { action: 'dim' }), 400, 'bad_request'],
      [post(`/api/v1/objects/${pole(1)}/command`, { action: 'on', level: 40 }), 400, 'bad_request'],
      [post(`/api/v1/objects/${pole(1)}/command`, { action: 'dim', level: 101 }), 400, 'bad_request'],
      [post(`/api/v1/objects/${pole(1)}/command`, { action: 'blink' }), 400, 'bad_request'],
      [post(`/api/v1/objects/${pole(1)}/command`, { action: 'on', extra: 1 }), 400, 'bad_request'],
      [post('/api/v1/commands', { action: 'on' }), 400, 'bad_request'],
      [post('/api/v1/commands', { action: 'on', numbers: [pole(1)], cabinet: CABINET }), 400, 'bad_request'],
      [post('/api/v1/commands', { action: 'on', numbers: [pole(1), 'ОП-07-99999'] }), 404, 'unknown_object'],
      [post('/api/v1/commands', { action: 'on', cabinet: pole(1) }), 400, 'bad_request'],
      [
        post('/api/v1/commands', {
          action: 'on',
          numbers: Array.from({ length: MAX_BATCH_COMMANDS + 1 }, () => pole(1)),
        }),
        400,
        'bad_request',
      ],
      [post(`/api/v1/objects/${pole(1)}/command`, { action: 'on' }, water), 403, 'forbidden'],
      [post(`/api/v1/objects/${pole(1)}/command`, { action: 'on' }, viewer), 403, 'forbidden'],
    ];
    for (const [request, status, error] of cases) {
      const res = await request;
      expect({ status: res.statusCode, error: res.json().error }).toEqual({ status, error });
      expect(res.json().message.length).toBeGreaterThan(5);
    }
    expect(sent.length).toBeGreaterThan(0);
    // A dispatcher of another utility sees none of the lighting utility's commands.
    expect(((await water({ url: '/api/v1/commands' })).json() as { commands: Command[] }).commands).toEqual([]);
    expect(
      ((await lighting({ url: '/api/v1/commands' })).json() as { commands: Command[] }).commands.length,
    ).toBeGreaterThan(3);
  });
});

describe('a pending command under the clock', async () => {
  const db = await openPglite();
  const published: LiveEvent[] = [];
  const server = await testServer(
    {
      ingest: {
        db,
        registry: new DeviceRegistry(db),
        publish: async () => {},
        checks: {},
        metricRegistries: [new Registry()],
      },
      hub: { publish: (events) => published.push(...events) },
      commands: { timeoutMs: 300, sweepMs: 50 },
    },
    { open: async () => db, before: seed },
  );
  afterAll(() => server.close());
  const admin = await server.as('admin');
  await admin({
    method: 'POST',
    url: '/api/v1/devices',
    payload: { devEui: eui(1), model: WS52X, applicationId: APP, objectNumber: pole(1) },
  });

  it('times out when no uplink confirms it in time', async () => {
    const res = await admin({ method: 'POST', url: `/api/v1/objects/${pole(1)}/command`, payload: { action: 'on' } });
    const [command] = (res.json() as CommandsAccepted).commands;
    expect(command?.status).toBe('pending');
    await vi.waitFor(
      async () => {
        const list = (await admin({ url: '/api/v1/commands?status=timed_out' })).json() as { commands: Command[] };
        expect(list.commands.map((c) => c.id)).toEqual([command?.id]);
      },
      { timeout: 5000 },
    );
    const events = published.filter((e) => e.event === 'command').map((e) => e.payload as CommandStreamEvent);
    expect(events.map((e) => e.status)).toEqual(['pending', 'timed_out']);
  });
});
