import { randomBytes } from 'node:crypto';
import type { Db } from '@city/ingest';
import { afterAll, describe, expect, it } from 'vitest';
import { ENGINES } from '../../test/engines.ts';
import { apiKey, connectStream, listen, type StreamClient, staffToken } from '../../test/stream-client.ts';
import { type TestServer, testServer } from '../../test/test-server.ts';
import type { ReportStreamEvent } from '../contract/stream.ts';
import { insertLiveEvents, type LiveEventDraft } from './live-events-table.ts';
import type { LiveEvent } from './live-hub.ts';
import { LiveStream } from './live-stream.ts';

type Scope = { district: string | null; objectType: string | null; utility: string | null };

/** A report event in `scope`; `n` tells it apart (its incident id). */
const reportEvent = (scope: Scope, n: number): LiveEventDraft => ({
  event: 'report',
  ...scope,
  payload: {
    action: 'filed',
    report: {
      incidentId: n,
      objectNumber: `T-${n}`,
      objectType: scope.objectType,
      category: 'other',
      status: 'new',
      district: scope.district,
      lat: 47.84,
      lon: 35.14,
      at: new Date().toISOString(),
    },
  },
});

/** Written to the log and published, as the part that commits a change does. */
async function publish(server: TestServer, drafts: LiveEventDraft[]): Promise<LiveEvent[]> {
  const events = await insertLiveEvents(server.ingest.db, drafts);
  LiveStream.of(server.app)?.publish(events);
  return events;
}

const incidents = (reports: ReportStreamEvent[]) => reports.map((r) => r.report.incidentId);
const settle = () => new Promise((r) => setTimeout(r, 150));

describe.each(ENGINES)('the live stream on %s', (_engine, open) => {
  // Room keys of this run: suites sharing a PostgreSQL database see each other's log.
  const run = randomBytes(3).toString('hex');
  const d1 = `d1-${run}`;
  const d2 = `d2-${run}`;
  const d3 = `d3-${run}`;
  const clients: StreamClient[] = [];
  const servers: TestServer[] = [];
  const started = async (options: Parameters<typeof testServer>[0] = {}) => {
    const server = await testServer(options, { open });
    servers.push(server);
    return { server, url: await listen(server) };
  };
  const connect = async (url: string, auth: Record<string, unknown>) => {
    const client = await connectStream(url, auth);
    clients.push(client.socket);
    return client;
  };
  afterAll(async () => {
    for (const c of clients) c.close();
    for (const s of servers) await s.close();
  });

  describe('sign-in in the handshake', async () => {
    const { server, url } = await started({ streamTimings: { authRecheckMs: 100 } });
    const refusal = (auth: Record<string, unknown>) =>
      connect(url, auth).then(
        () => undefined,
        (err: Error & { data?: unknown }) => ({ message: err.message, data: err.data }),
      );

    it('refuses a client without a token, or with a bad one, saying why', async () => {
      expect(await refusal({})).toMatchObject({ data: { error: 'unauthorized' }, message: /auth\.token/ });
      expect(await refusal({ token: 'not-a-token' })).toMatchObject({
        data: { error: 'unauthorized', message: expect.stringMatching(/not valid/) },
      });
      expect(await refusal({ token: 'x', extra: 1 })).toMatchObject({ data: { error: 'bad_request' } });
      expect(await refusal({ token: 'x', lastEventId: -1 })).toMatchObject({ data: { error: 'bad_request' } });
    });

    it('takes a staff token of any role and a kiosk key; a revoked key is refused and its connection ended', async () => {
      for (const role of ['admin', 'operator', 'dispatcher', 'viewer'] as const)
        await expect(connect(url, { token: await staffToken(server, role) })).resolves.toBeDefined();
      const kiosk = await apiKey(server, 'kiosk');
      const { socket } = await connect(url, { token: kiosk.key });
      const ended = new Promise((resolve) => socket.once('disconnect', resolve));
      const admin = await server.as('admin');
      expect((await admin({ method: 'DELETE', url: `/api/v1/api-keys/${kiosk.id}` })).statusCode).toBe(200);
      expect(await refusal({ token: kiosk.key })).toMatchObject({
        data: { error: 'unauthorized' },
        message: /revoked/,
      });
      await expect(ended).resolves.toBe('io server disconnect');
    });

    it('opens the embedded demo to a client without a token, as a kiosk', async () => {
      const demo = await started({ demoKioskToken: 'the-demo-kiosk-token' });
      const { received } = await connect(demo.url, {});
      await received.until('the resume marker', () => received.of('resumed').length === 1);
      await expect(connect(demo.url, { token: 'the-demo-kiosk-token' })).resolves.toBeDefined();
    });
  });

  describe('rooms and roles', async () => {
    const { server, url } = await started();
    const operator = await staffToken(server, 'operator');
    const water = await staffToken(server, 'dispatcher', 'vodokanal');

    it('sends each event once to the clients whose rooms and role let it through', async () => {
      const all = await connect(url, { token: operator });
      const west = await connect(url, { token: operator, rooms: { districts: [d1] } });
      const bins = await connect(url, { token: operator });
      const union = await connect(url, { token: operator, rooms: { districts: [d1] } });
      const dispatcher = await connect(url, { token: water });
      const dispatcherEast = await connect(url, { token: water, rooms: { districts: [d2] } });
      expect(await bins.socket.emitWithAck('join', { objectTypes: ['bin'] })).toEqual({ ok: true });
      expect(await union.socket.emitWithAck('join', { objectTypes: ['bin'] })).toEqual({ ok: true });
      await publish(server, [
        reportEvent({ district: d1, objectType: 'pole', utility: 'misksvitlo' }, 1),
        reportEvent({ district: d2, objectType: 'bin', utility: 'vodokanal' }, 2),
        reportEvent({ district: d1, objectType: 'bin', utility: null }, 3),
        reportEvent({ district: null, objectType: null, utility: 'vodokanal' }, 4),
        reportEvent({ district: d2, objectType: 'pole', utility: null }, 5),
      ]);
      const expected: [typeof all, number[]][] = [
        [all, [1, 2, 3, 4, 5]],
        [west, [1, 3]],
        [bins, [2, 3]],
        [union, [1, 2, 3]],
        [dispatcher, [2, 3, 4, 5]],
        [dispatcherEast, [2, 5]],
      ];
      for (const [client, ids] of expected)
        await client.received.until(`reports ${ids}`, () => client.received.of('report').length >= ids.length);
      await settle();
      for (const [client, ids] of expected) expect(incidents(client.received.of('report'))).toEqual(ids);

      // Leaving the last room is being in none: everything the role may see.
      expect(await west.socket.emitWithAck('leave', { districts: [d1] })).toEqual({ ok: true });
      await publish(server, [reportEvent({ district: d2, objectType: 'pole', utility: null }, 6)]);
      await west.received.until('the sixth report', () => west.received.of('report').length === 3);
    });

    it('refuses rooms that are not names, or too many, and keeps the rooms it had', async () => {
      const { socket, received } = await connect(url, { token: operator, rooms: { districts: [d1] } });
      const refused = async (rooms: unknown) => {
        const answer = await socket.emitWithAck('join', rooms as never);
        expect(answer).toMatchObject({ ok: false, error: expect.any(String) });
      };
      await refused({ districts: ['no spaces'] });
      await refused({ districts: ['x'.repeat(65)] });
      await refused({ streets: ['x'] });
      await refused('all');
      const many = Array.from({ length: 40 }, (_, i) => `r${i}`);
      expect(await socket.emitWithAck('join', { districts: many })).toEqual({ ok: true });
      await refused({ districts: many.map((r) => `${r}b`) });
      await publish(server, [
        reportEvent({ district: 'r0b', objectType: null, utility: null }, 7),
        reportEvent({ district: d1, objectType: null, utility: null }, 8),
      ]);
      await received.until('the report in its room', () => received.of('report').length > 0);
      await settle();
      expect(incidents(received.of('report'))).toEqual([8]);
    });
  });

  describe('resuming after a reconnect', async () => {
    const { server, url } = await started();
    const operator = await staffToken(server, 'operator');
    const db: Db = server.ingest.db;
    const scope = { district: d3, objectType: 'bin', utility: 'vidkhody' };

    it('replays what the client missed, late commits included, in id order, before `resumed`', async () => {
      const first = await connect(url, { token: operator, rooms: { districts: [d3] } });
      await first.received.until('the resume marker', () => first.received.of('resumed').length === 1);
      // An id taken now and committed after the client's last event: a slower transaction's.
      const { rows } = await db.query<{ id: number }>(
        "SELECT nextval(pg_get_serial_sequence('live_events', 'id'))::int AS id",
      );
      const lateId = (rows[0] as { id: number }).id;
      const seen = await publish(server, [reportEvent(scope, 100), reportEvent(scope, 101)]);
      await first.received.until('two reports', () => first.received.of('report').length === 2);
      first.socket.close();

      const missed = await publish(
        server,
        Array.from({ length: 20 }, (_, i) => reportEvent(scope, 200 + i)),
      );
      await publish(server, [reportEvent({ ...scope, district: d2 }, 300)]);
      await db.query(
        `INSERT INTO live_events (id, event, district, object_type, utility, payload)
         VALUES ($1, 'report', $2, 'bin', 'vidkhody', $3)`,
        [lateId, d3, JSON.stringify((reportEvent(scope, 150) as { payload: object }).payload)],
      );

      const lastEventId = (seen[1] as LiveEvent).id;
      const again = await connect(url, { token: operator, lastEventId, rooms: { districts: [d3] } });
      await again.received.until('the resume marker', () => again.received.of('resumed').length === 1);
      const resumed = again.received.of<{ fromEventId: number; replayed: number; complete: boolean }>('resumed')[0];
      expect(resumed).toMatchObject({ fromEventId: lastEventId, complete: true });
      const before = again.received.seen.findIndex((s) => s.event === 'resumed');
      const replayed = again.received.seen
        .slice(0, before)
        .filter((s) => s.event === 'report')
        .map((s) => s.data as ReportStreamEvent);
      expect(replayed.length).toBe(resumed?.replayed);
      const ids = replayed.map((r) => r.eventId);
      expect(ids).toEqual([...ids].sort((a, b) => a - b));
      // Deduplicated as a client does: every missed event and the late one, once; nothing of another district.
      const got = new Set(incidents(replayed.filter((r) => r.eventId !== lastEventId && r.eventId !== seen[0]?.id)));
      expect([...got].sort((a, b) => a - b)).toEqual([150, ...missed.map((_, i) => 200 + i)]);
    });

    it('says the replay is incomplete when the last id seen is no longer in the log', async () => {
      const [gone] = await publish(server, [reportEvent(scope, 400)]);
      await db.query('DELETE FROM live_events WHERE id = $1', [gone?.id]);
      const client = await connect(url, { token: operator, lastEventId: gone?.id });
      await client.received.until('the resume marker', () => client.received.of('resumed').length === 1);
      expect(client.received.of('resumed')[0]).toEqual({ fromEventId: gone?.id, replayed: 0, complete: false });
    });

    it('gives a new client the head of the log to resume from', async () => {
      const [last] = await publish(server, [reportEvent(scope, 500)]);
      const client = await connect(url, { token: operator });
      await client.received.until('the resume marker', () => client.received.of('resumed').length === 1);
      const { fromEventId } = client.received.of<{ fromEventId: number }>('resumed')[0] as { fromEventId: number };
      expect(fromEventId).toBeGreaterThanOrEqual(last?.id as number);
    });
  });
});
