import { EventEmitter } from 'node:events';
import { DeviceRegistry, type IngestApiBackend, migrate, type Reading, type StaffRole } from '@city/ingest';
import type { FastifyInstance, InjectOptions } from 'fastify';
import { pino } from 'pino';
import { Registry } from 'prom-client';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { manyObjects, testCity } from '../../test/city-fixture.ts';
import { ENGINES } from '../../test/engines.ts';
import { ensureAccount } from '../access/accounts.ts';
import type { DistrictAggregates, ObjectLiveState } from '../contract/live.ts';
import { inProcessReadings } from '../live/readings-source.ts';
import { migrateTwin } from '../migrate.ts';
import { upsertDistricts } from '../objects/districts-table.ts';
import { upsertObjects } from '../objects/objects-table.ts';
import { seedReferenceData } from '../objects/reference-data.ts';
import { buildServer } from '../server/app.ts';

const EM310 = 'milesight-iot/em310-udl';

describe.each(ENGINES)('bindings, live state and district aggregates over HTTP on %s', async (_engine, open) => {
  const db = await open();
  await migrate(db);
  await migrateTwin(db);
  await seedReferenceData(db);
  // A city of this run's own: two districts, poles and bins, numbers unique to the run.
  const city = testCity();
  const [west, east] = city.districts;
  const objects = manyObjects(city, 8).map((o, i) => ({ ...o, district: i < 4 ? west.code : east.code }));
  await upsertDistricts(db, city.districts);
  await upsertObjects(db, objects);
  const [pole1, bin1, , bin2, , bin3, pole4] = objects.map((o) => o.number) as [
    string,
    string,
    string,
    string,
    string,
    string,
    string,
  ];
  // Committed readings, as ingest's pipeline in this process would emit them.
  const pipeline = new EventEmitter<{ readings: [Reading[]] }>();
  const registry = new DeviceRegistry(db);
  const ingest: IngestApiBackend = { db, registry, checks: {}, metricRegistries: [new Registry()] };
  const app: FastifyInstance = await buildServer({
    logger: pino({ level: 'silent' }),
    ingest,
    auth: { jwtSecret: 'a-test-secret-a-test-secret-a-test-secret', tokenTtlSeconds: 3600 },
    rateLimits: { api: 10_000, signIn: 10_000, commands: 10_000 },
    readings: inProcessReadings(pipeline),
  });
  afterAll(async () => {
    await app.close();
    await db.close();
  });
  const as = async (role: StaffRole | 'kiosk') => {
    const username = `${role}-${city.run}`;
    const password = `a password for ${role}`;
    const staff = role === 'kiosk' ? 'viewer' : role;
    await ensureAccount(db, { username, password, role: staff, utility: null }, { demo: true });
    const login = await app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username, password } });
    let token = login.json().token as string;
    if (role === 'kiosk') {
      const admin = await as('admin');
      token = (
        await admin({ method: 'POST', url: '/api/v1/api-keys', payload: { name: `wall ${city.run}`, role: 'kiosk' } })
      ).json().key;
    }
    return (opts: InjectOptions) =>
      app.inject({ ...opts, headers: { authorization: `Bearer ${token}`, ...opts.headers } });
  };
  const operator = await as('operator');
  const viewer = await as('viewer');
  const kiosk = await as('kiosk');
  const devEui = (n: number) => `d${city.run}${String(n).padStart(9, '0')}`;

  it('binds, moves and unbinds a device, keeping who did it and why; the registry follows at once', async () => {
    const dev = devEui(1);
    expect(
      (await operator({ method: 'POST', url: '/api/v1/devices', payload: { devEui: dev, model: EM310 } })).statusCode,
    ).toBe(201);
    const bind = (objectNumber: string) =>
      operator({ method: 'POST', url: '/api/v1/bindings', payload: { devEui: dev, objectNumber } });

    // Any spelling of the number binds to the object as the registry writes it.
    const bound = await bind(bin1.replace('СМ', 'cm').replaceAll('-', ' '));
    expect(bound.statusCode).toBe(200);
    expect(bound.json()).toEqual({ devEui: dev, objectNumber: bin1, previous: null, changed: true });
    expect((await bind(bin1)).json()).toMatchObject({ changed: false });
    expect((await bind(bin2)).json()).toEqual({ devEui: dev, objectNumber: bin2, previous: bin1, changed: true });
    expect(registry.get(dev)?.objectNumber).toBe(bin2);
    const unbound = await operator({ method: 'DELETE', url: `/api/v1/bindings/${dev}` });
    expect(unbound.json()).toEqual({ devEui: dev, objectNumber: null, previous: bin2, changed: true });
    expect(registry.get(dev)?.objectNumber).toBeNull();

    const history = (await viewer({ url: `/api/v1/devices/${dev}/bindings` })).json();
    const who = `operator-${city.run}`;
    expect(history).toMatchObject([
      { objectNumber: bin2, boundBy: who, boundReason: 'move', unboundBy: who, unboundReason: 'unbind' },
      { objectNumber: bin1, boundBy: who, boundReason: 'bind', unboundBy: who, unboundReason: 'move' },
    ]);
    const ofObject = await viewer({ url: `/api/v1/objects/${encodeURIComponent(bin1)}/bindings` });
    expect(ofObject.json()).toEqual([history[1]]);
    // Every change is in the audit log, with what it bound.
    await vi.waitFor(async () => {
      const { rows } = await db.query<{ action: string; target: string }>(
        "SELECT action, target FROM audit_log WHERE actor = $1 AND action LIKE '% /api/v1/bindings%' ORDER BY id",
        [who],
      );
      expect(rows.map((r) => r.action)).toEqual([
        'POST /api/v1/bindings',
        'POST /api/v1/bindings',
        'POST /api/v1/bindings',
        'DELETE /api/v1/bindings/:devEui',
      ]);
    });
  });

  it('refuses unknown objects and devices, and roles that may not bind or read the history', async () => {
    const dev = devEui(2);
    await operator({ method: 'POST', url: '/api/v1/devices', payload: { devEui: dev, model: EM310 } });
    const cases: [typeof operator, InjectOptions, number, string][] = [
      [
        operator,
        { method: 'POST', url: '/api/v1/bindings', payload: { devEui: dev, objectNumber: 'ОП-00-99999' } },
        404,
        'unknown_object',
      ],
      [
        operator,
        { method: 'POST', url: '/api/v1/bindings', payload: { devEui: devEui(99), objectNumber: pole1 } },
        404,
        'not_found',
      ],
      [operator, { method: 'DELETE', url: `/api/v1/bindings/${devEui(99)}` }, 404, 'not_found'],
      [
        operator,
        { method: 'POST', url: '/api/v1/bindings', payload: { devEui: 'nope', objectNumber: pole1 } },
        400,
        'bad_request',
      ],
      [
        operator,
        { method: 'POST', url: '/api/v1/bindings', payload: { devEui: dev, objectNumber: pole1, extra: 1 } },
        400,
        'bad_request',
      ],
      [
        viewer,
        { method: 'POST', url: '/api/v1/bindings', payload: { devEui: dev, objectNumber: pole1 } },
        403,
        'forbidden',
      ],
      [kiosk, { url: `/api/v1/devices/${dev}/bindings` }, 403, 'forbidden'],
      [viewer, { url: `/api/v1/devices/${devEui(99)}/bindings` }, 404, 'not_found'],
      [viewer, { url: '/api/v1/objects/ОП-00-99999/bindings' }, 404, 'unknown_object'],
    ];
    for (const [who, request, status, error] of cases) {
      const res = await who(request);
      expect([res.statusCode, res.json().error], `${request.method ?? 'GET'} ${request.url}`).toEqual([status, error]);
    }
    expect((await app.inject({ url: `/api/v1/devices/${dev}/bindings` })).statusCode).toBe(401);
  });

  it("shows an object's live state and the districts' aggregates as readings are committed", async () => {
    const [binDevice, lampDevice] = [devEui(3), devEui(4)];
    for (const [dev, model, objectNumber] of [
      [binDevice, EM310, bin3],
      [lampDevice, 'milesight-iot/ws558', pole1],
    ] as const) {
      await operator({ method: 'POST', url: '/api/v1/devices', payload: { devEui: dev, model } });
      await operator({ method: 'POST', url: '/api/v1/bindings', payload: { devEui: dev, objectNumber } });
    }
    const now = Date.now();
    pipeline.emit('readings', [
      { timeMs: now - 60_000, devEui: binDevice, objectNumber: bin3, metric: 'fill_level', value: 92 },
      { timeMs: now - 60_000, devEui: binDevice, objectNumber: bin3, metric: 'rssi', value: -101 },
      { timeMs: now - 30_000, devEui: lampDevice, objectNumber: pole1, metric: 'lamp_failure', value: 1 },
    ]);
    // An older value, delivered late, changes nothing.
    pipeline.emit('readings', [
      { timeMs: now - 120_000, devEui: binDevice, objectNumber: bin3, metric: 'fill_level', value: 10 },
    ]);

    const live = await kiosk({ url: `/api/v1/objects/${encodeURIComponent(bin3)}/live` });
    expect(live.statusCode).toBe(200);
    expect(live.json()).toEqual({
      number: bin3,
      lastSeen: new Date(now - 60_000).toISOString(),
      health: 'ok',
      metrics: { fill_level: { value: 92, time: new Date(now - 60_000).toISOString(), devEui: binDevice } },
    } satisfies ObjectLiveState);
    expect((await kiosk({ url: `/api/v1/objects/${encodeURIComponent(pole4)}/live` })).json()).toBeNull();
    expect((await kiosk({ url: '/api/v1/objects/ОП-00-99999/live' })).statusCode).toBe(404);

    // The object card: staff see the devices on the object and its live state; residents neither.
    const card = (await viewer({ url: `/api/v1/objects/${encodeURIComponent(pole1)}` })).json();
    expect(card.devices.map((d: { devEui: string }) => d.devEui)).toEqual([lampDevice]);
    expect(card.live).toMatchObject({ number: pole1, metrics: { lamp_failure: { value: 1 } } });
    const publicCard = (await app.inject({ url: `/api/v1/objects/${encodeURIComponent(pole1)}` })).json();
    expect(publicCard).not.toHaveProperty('live');
    expect(publicCard).not.toHaveProperty('devices');

    // Aggregates are recomputed at most once a second.
    await new Promise((r) => setTimeout(r, 1100));
    const aggregates = (await kiosk({ url: '/api/v1/districts/aggregates' })).json() as DistrictAggregates;
    const byCode = new Map(aggregates.districts.map((d) => [d.district, d]));
    expect(byCode.get(west.code)).toMatchObject({ lights: { total: 1, failed: 1 } });
    expect(byCode.get(east.code)).toMatchObject({ bins: { total: 1, over85: 1 } });
    expect(byCode.get(west.code)?.devices.online).toBeGreaterThanOrEqual(1);
  });
});
