import { afterAll, describe, expect, it } from 'vitest';
import { ENGINES } from '../../../test/engines.ts';
import { testServer } from '../../../test/test-server.ts';
import type { Outage } from '../../contract/alarms.ts';
import type { CityObjectRecord } from '../../objects/object-record.ts';
import type { AlarmSignal } from '../alarm-signal.ts';
import { applySignals } from '../alarm-store.ts';
import { AlarmFamilies } from './alarm-families.ts';
import { outageRollUp } from './outage-roll-up.ts';
import { queueDeliveries } from './webhook-deliveries-table.ts';

const T0 = Date.parse('2026-03-01T10:00:00.000Z');

describe.each(ENGINES)('the outages and webhook deliveries API on %s', async (_engine, open) => {
  const server = await testServer({}, { open });
  const { db } = server.ingest;
  afterAll(() => server.close());
  const admin = await server.as('admin');
  const operator = await server.as('operator');
  const viewer = await server.as('viewer');
  const water = await server.as('dispatcher', 'vodokanal');
  const lights = await server.as('dispatcher', 'misksvitlo');

  const run = Math.random().toString(36).slice(2, 8);
  const district = `d${run}`;
  const records = new Map<string, CityObjectRecord>();
  const signal = (n: number): AlarmSignal => {
    const number = `${district}-m${n}`;
    records.set(number, {
      number,
      type: 'meter_point',
      lat: 47.85,
      lon: 35.15,
      district,
      address: null,
      ownerUtility: 'vodokanal',
      attributes: {},
    });
    return {
      action: 'raise',
      rule: { id: 'meter-burst', alarmType: 'water_burst', severity: 'critical' },
      subject: number,
      objectNumber: number,
      devEui: 'a1b2c3d4e5f60718',
      readingMs: T0 + n * 60_000,
      value: 1,
      message: 'burst flag',
    };
  };
  await applySignals(
    db,
    [1, 2, 3, 4, 5].map(signal),
    { get: (n) => records.get(n) },
    { afterChange: outageRollUp(AlarmFamilies.load()) },
  );

  it('lists outages with their objects, filtered, and shows one; a dispatcher sees their utility’s only', async () => {
    const listed = (await viewer({ url: `/api/v1/outages?district=${district}&status=active` })).json() as Outage[];
    expect(listed).toHaveLength(1);
    const [outage] = listed as [Outage];
    expect(outage).toMatchObject({ kind: 'water', district, status: 'active', severity: 'critical' });
    expect(outage.objects.map((o) => o.number).sort()).toEqual([1, 2, 3, 4, 5].map((n) => `${district}-m${n}`));

    expect((await viewer({ url: `/api/v1/outages/${outage.id}` })).json()).toEqual(outage);
    expect((await viewer({ url: `/api/v1/outages?district=${district}&kind=lighting` })).json()).toEqual([]);
    expect((await viewer({ url: `/api/v1/outages?district=${district}&status=cleared` })).json()).toEqual([]);

    expect((await water({ url: `/api/v1/outages/${outage.id}` })).statusCode).toBe(200);
    expect((await water({ url: `/api/v1/outages?district=${district}` })).json()).toHaveLength(1);
    const refused = await lights({ url: `/api/v1/outages/${outage.id}` });
    expect(refused.statusCode).toBe(403);
    expect(refused.json()).toMatchObject({ error: 'forbidden', message: expect.stringContaining('vodokanal') });
    expect((await lights({ url: `/api/v1/outages?district=${district}` })).json()).toEqual([]);
    expect((await lights({ url: `/api/v1/outages?district=${district}&kind=water` })).json()).toEqual([]);
  });

  it('answers 404, 400 and 401 as the API does', async () => {
    expect((await viewer({ url: '/api/v1/outages/999999999' })).json()).toMatchObject({ error: 'not_found' });
    expect((await viewer({ url: '/api/v1/outages?status=open' })).statusCode).toBe(400);
    expect((await viewer({ url: '/api/v1/outages?limit=201' })).statusCode).toBe(400);
    expect((await viewer({ url: `/api/v1/outages?district=${'x'.repeat(65)}` })).statusCode).toBe(400);
    expect((await server.app.inject({ url: '/api/v1/outages' })).statusCode).toBe(401);
  });

  it('shows webhook deliveries by status to admins and operators only', async () => {
    await queueDeliveries(db, [{ event: `test.${run}`, payload: { run } }]);
    const pending = (await operator({ url: '/api/v1/webhook-deliveries?status=pending' })).json() as {
      event: string;
      status: string;
      attempts: number;
      payload: unknown;
    }[];
    expect(pending.find((d) => d.event === `test.${run}`)).toMatchObject({
      status: 'pending',
      attempts: 0,
      payload: { run },
    });
    expect((await admin({ url: '/api/v1/webhook-deliveries?status=delivered' })).json()).not.toContainEqual(
      expect.objectContaining({ event: `test.${run}` }),
    );
    expect((await viewer({ url: '/api/v1/webhook-deliveries' })).statusCode).toBe(403);
    expect((await water({ url: '/api/v1/webhook-deliveries' })).statusCode).toBe(403);
    expect((await admin({ url: '/api/v1/webhook-deliveries?status=lost' })).statusCode).toBe(400);
  });
});
