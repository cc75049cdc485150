import { randomUUID } from 'node:crypto';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { ENGINES } from '../../test/engines.ts';
import { testServer } from '../../test/test-server.ts';
import type { Alarm, AlarmSeverity } from '../contract/alarms.ts';
import type { CityObjectRecord, ObjectLookup } from '../objects/object-record.ts';
import type { LiveEvent } from '../stream/live-hub.ts';
import { applySignals } from './alarm-store.ts';

const T0 = Date.parse('2026-03-01T10:00:00.000Z');

describe.each(ENGINES)('the alarms API on %s', async (_engine, open) => {
  const published: LiveEvent[] = [];
  const server = await testServer({ hub: { publish: (events) => published.push(...events) } }, { open });
  const { app } = server;
  const { db } = server.ingest;
  afterAll(() => server.close());
  const admin = await server.as('admin');
  const operator = await server.as('operator');
  const water = await server.as('dispatcher', 'vodokanal');
  const nobody = await server.as('dispatcher', null);
  const viewer = await server.as('viewer');

  // Each run its own district and objects, so runs on a shared database do not meet.
  const run = randomUUID().slice(0, 8);
  const district = `d${run}`;
  const records = new Map<string, CityObjectRecord>();
  const objects: ObjectLookup = { get: (number) => records.get(number) };
  let nextObject = 0;
  /** A new alarm on a new object of `utility`; returns it as the list shows it. */
  const raise = async (utility: string, severity: AlarmSeverity = 'major', type = 'bin_full'): Promise<Alarm> => {
    const number = `T-${run}-${++nextObject}`;
    records.set(number, {
      number,
      type: 'bin',
      lat: 47.85,
      lon: 35.15,
      district,
      address: null,
      ownerUtility: utility,
      attributes: {},
    });
    const [event] = await applySignals(
      db,
      [
        {
          action: 'raise',
          rule: { id: type, alarmType: type, severity },
          subject: number,
          objectNumber: number,
          devEui: '0102030405060708',
          readingMs: T0,
          value: 90,
          message: 'fill level 90 %',
        },
      ],
      objects,
    );
    if (event?.event !== 'alarm') throw new Error('no alarm raised');
    return event.payload.alarm;
  };
  const post = (as: typeof admin, id: number, action: string, payload?: object) =>
    as({ method: 'POST', url: `/api/v1/alarms/${id}/${action}`, ...(payload ? { payload } : {}) });
  const listed = async (as: typeof admin, query: string) =>
    (await as({ url: `/api/v1/alarms?district=${district}&${query}` })).json() as {
      alarms: Alarm[];
      nextCursor: string | null;
    };

  it('acks, assigns, comments and clears, each with its history entry, its stream event and the actor', async () => {
    const alarm = await raise('vodokanal');
    published.length = 0;
    const acked = await post(water, alarm.id, 'ack');
    expect(acked.statusCode).toBe(200);
    expect(acked.json()).toMatchObject({ id: alarm.id, acknowledged: true, acknowledgedBy: 'dispatcher-of-the-test' });
    expect((await post(operator, alarm.id, 'ack')).json()).toMatchObject({ error: 'invalid_transition' });
    expect((await post(operator, alarm.id, 'ack')).statusCode).toBe(409);
    const assigned = await post(operator, alarm.id, 'assign', { assignee: 'crew 7' });
    expect(assigned.json()).toMatchObject({ assignee: 'crew 7' });
    expect((await post(operator, alarm.id, 'comment', { text: 'crew on the way' })).statusCode).toBe(200);
    const cleared = await post(admin, alarm.id, 'clear');
    expect(cleared.json()).toMatchObject({ status: 'cleared', acknowledged: true, clearedBy: 'admin-of-the-test' });
    expect((await post(admin, alarm.id, 'clear')).statusCode).toBe(409);
    // A cleared alarm can still be unassigned and commented on.
    expect((await post(admin, alarm.id, 'assign', { assignee: null })).json()).toMatchObject({ assignee: null });

    const detail = (await viewer({ url: `/api/v1/alarms/${alarm.id}` })).json();
    expect(detail.alarm).toMatchObject({ id: alarm.id, status: 'cleared', assignee: null });
    expect(detail.history).toEqual([
      expect.objectContaining({ kind: 'raised', actor: null }),
      expect.objectContaining({ kind: 'acknowledged', actor: 'dispatcher-of-the-test' }),
      expect.objectContaining({ kind: 'assigned', actor: 'operator-of-the-test', detail: { assignee: 'crew 7' } }),
      expect.objectContaining({ kind: 'commented', comment: 'crew on the way' }),
      expect.objectContaining({ kind: 'cleared', actor: 'admin-of-the-test' }),
      expect.objectContaining({ kind: 'assigned', detail: { assignee: null } }),
    ]);
    expect(published.map((e) => (e.event === 'alarm' ? e.payload.action : e.event))).toEqual([
      'acknowledged',
      'assigned',
      'commented',
      'cleared',
      'assigned',
    ]);
    expect(published[0]).toMatchObject({ utility: 'vodokanal', district, payload: { alarm: { acknowledged: true } } });

    // Audit rows are written once the answer has gone out.
    await vi.waitFor(async () => {
      const audit = (await admin({ url: '/api/v1/audit?limit=1000' })).json() as {
        target: string | null;
        actor: string;
        status: number;
      }[];
      const acks = audit.filter((r) => r.target === `alarm ${alarm.id}: ack`).reverse();
      expect(acks.map((r) => [r.actor, r.status])).toEqual([
        ['dispatcher-of-the-test', 200],
        ['operator-of-the-test', 409],
        ['operator-of-the-test', 409],
      ]);
    });
  });

  it('two people acknowledging at once take turns: one succeeds, the other hears 409', async () => {
    const alarm = await raise('vodokanal');
    const results = await Promise.all([post(water, alarm.id, 'ack'), post(operator, alarm.id, 'ack')]);
    expect(results.map((r) => r.statusCode).sort()).toEqual([200, 409]);
  });

  it('lets a dispatcher see and work only their utility’s alarms; viewers and kiosks only read', async () => {
    const ours = await raise('vodokanal');
    const theirs = await raise('misksvitlo');
    expect((await water({ url: `/api/v1/alarms/${ours.id}` })).statusCode).toBe(200);
    const refused = await water({ url: `/api/v1/alarms/${theirs.id}` });
    expect(refused.statusCode).toBe(403);
    expect(refused.json()).toMatchObject({ error: 'forbidden', message: expect.stringContaining('misksvitlo') });
    for (const [action, body] of [
      ['ack'],
      ['clear'],
      ['assign', { assignee: 'x' }],
      ['comment', { text: 'x' }],
    ] as const) {
      expect((await post(water, theirs.id, action, body)).statusCode).toBe(403);
      expect((await post(viewer, ours.id, action, body)).statusCode).toBe(403);
    }
    const ids = (await listed(water, 'limit=500')).alarms.map((a) => a.id);
    expect(ids).toContain(ours.id);
    expect(ids).not.toContain(theirs.id);
    expect((await water({ url: '/api/v1/alarms?utility=misksvitlo' })).statusCode).toBe(403);
    expect(await listed(nobody, '')).toEqual({ alarms: [], nextCursor: null });
    expect((await post(nobody, ours.id, 'ack')).statusCode).toBe(403);

    const kiosk = await server.withKey('kiosk');
    expect((await kiosk.inject({ url: `/api/v1/alarms/${theirs.id}` })).statusCode).toBe(200);
    expect((await post(kiosk.inject, theirs.id, 'ack')).statusCode).toBe(403);
    expect((await app.inject({ url: '/api/v1/alarms' })).statusCode).toBe(401);
    expect((await app.inject({ method: 'POST', url: `/api/v1/alarms/${ours.id}/ack` })).statusCode).toBe(401);
    // Nothing was changed by the refusals.
    expect((await admin({ url: `/api/v1/alarms/${theirs.id}` })).json().history).toHaveLength(1);
  });

  it('filters the list and pages it newest first with a cursor', async () => {
    const critical = await raise('zelenbud', 'critical', 'tree_tilt');
    const many: Alarm[] = [];
    for (let i = 0; i < 5; i++) many.push(await raise('zelenbud'));
    await post(admin, many[0]?.id as number, 'ack');
    await post(admin, many[1]?.id as number, 'clear');
    const ids = async (query: string) => (await listed(admin, `utility=zelenbud&${query}`)).alarms.map((a) => a.id);

    const all = [critical, ...many].map((a) => a.id).reverse();
    expect(await ids('limit=500')).toEqual(all);
    expect(await ids('severity=critical')).toEqual([critical.id]);
    expect(await ids('type=tree_tilt')).toEqual([critical.id]);
    expect(await ids(`object=${encodeURIComponent(critical.objectNumber as string)}`)).toEqual([critical.id]);
    expect(await ids('acknowledged=true')).toEqual([many[0]?.id]);
    expect(await ids('status=cleared')).toEqual([many[1]?.id]);
    expect(await ids('status=active&acknowledged=false')).toEqual(
      all.filter((id) => id !== many[0]?.id && id !== many[1]?.id),
    );
    expect(await ids(`since=${encodeURIComponent(new Date(Date.now() + 60_000).toISOString())}`)).toEqual([]);

    const pages: number[][] = [];
    let cursor: string | null = '';
    while (cursor !== null) {
      const page = await listed(admin, `utility=zelenbud&limit=2${cursor ? `&cursor=${cursor}` : ''}`);
      pages.push(page.alarms.map((a) => a.id));
      cursor = page.nextCursor;
    }
    expect(pages).toEqual([all.slice(0, 2), all.slice(2, 4), all.slice(4, 6)]);
  });

  it('answers bad input with 400 and a missing alarm with 404', async () => {
    const alarm = await raise('vodokanal');
    for (const bad of [
      'status=open',
      'severity=fatal',
      'limit=0',
      'limit=501',
      'acknowledged=maybe',
      'type=Bin',
      'since=yesterday',
      'cursor=***',
      'cursor=bm90LWEtY3Vyc29y',
      'whatever=1',
    ]) {
      const res = await admin({ url: `/api/v1/alarms?${bad}` });
      expect({ bad, status: res.statusCode, error: res.json().error }).toEqual({
        bad,
        status: 400,
        error: 'bad_request',
      });
    }
    for (const url of ['/api/v1/alarms/0', '/api/v1/alarms/abc']) expect((await admin({ url })).statusCode).toBe(400);
    expect((await admin({ url: '/api/v1/alarms/987654321' })).statusCode).toBe(404);
    expect((await post(admin, 987_654_321, 'ack')).statusCode).toBe(404);
    for (const body of [{}, { assignee: 'x'.repeat(65) }, { assignee: 'a', extra: 1 }, { assignee: 'tab\u0000' }]) {
      expect((await post(admin, alarm.id, 'assign', body)).statusCode).toBe(400);
    }
    for (const action of ['ack', 'clear']) {
      expect((await post(admin, alarm.id, action, { comment: 'no' })).statusCode).toBe(400);
      expect((await post(admin, alarm.id, action, [])).statusCode).toBe(400);
    }
    for (const body of [{}, { text: '' }, { text: 'x'.repeat(2001) }, { text: 'bell \u0007' }]) {
      expect((await post(admin, alarm.id, 'comment', body)).statusCode).toBe(400);
    }
    await vi.waitFor(async () => {
      const history = (await admin({ url: `/api/v1/alarms/${alarm.id}` })).json().history;
      expect(history.map((h: { kind: string }) => h.kind)).toEqual(['raised']);
    });
  });
});
