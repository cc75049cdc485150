import { once } from 'node:events';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type Db, migrate } from '@city/ingest';
import { pino } from 'pino';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { ENGINES } from '../../../test/engines.ts';
import { migrateTwin } from '../../migrate.ts';
import type { LiveEvent } from '../../stream/live-hub.ts';
import { AlarmOperations } from './alarm-operations.ts';
import { alarmOperationsSettings, DEFAULT_ALARM_OPERATIONS_SETTINGS } from './alarm-operations-settings.ts';
import { ESCALATED_EVENT, escalateOverdue } from './escalation.ts';
import { queueDeliveries } from './webhook-deliveries-table.ts';
import { verifyWebhookSignature } from './webhook-signature.ts';

const SECRET = 'a-webhook-secret-a-webhook-secret';
const silent = pino({ level: 'silent' });

interface Call {
  headers: IncomingMessage['headers'];
  body: string;
}

/** A receiver on 127.0.0.1 answering each delivery's attempts with the next of `statuses` (the last one repeats); `hang` never answers. */
async function receiver(statuses: (number | 'hang')[]): Promise<{ url: string; calls: Call[]; server: Server }> {
  const calls: Call[] = [];
  const server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    calls.push({ headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
    const attempt = calls.filter((c) => c.headers['x-city-delivery'] === req.headers['x-city-delivery']).length;
    const status = statuses[Math.min(attempt, statuses.length) - 1];
    if (status === 'hang') return;
    res.writeHead(status as number).end();
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`, calls, server };
}

describe.each(ENGINES)('escalation, the webhook and pruning on %s', async (engine, open) => {
  const db = await open();
  await migrate(db);
  await migrateTwin(db);
  const other: Db = engine === 'PGlite' ? db : await open();
  const servers: Server[] = [];
  afterAll(async () => {
    for (const s of servers) s.closeAllConnections();
    await Promise.all(servers.map((s) => new Promise((resolve) => s.close(resolve))));
    if (other !== db) await other.close();
    await db.close();
  });

  let subjects = 0;
  const run = Math.random().toString(36).slice(2, 8);
  /** An alarm raised `ageS` seconds ago. */
  const alarm = async (severity: string, ageS: number, extra = '') => {
    const { rows } = await db.query<{ id: number }>(
      `INSERT INTO alarms (subject, alarm_type, severity, message, raised_at, first_reading_at, last_reading_at ${extra ? ', acknowledged, acknowledged_at' : ''})
       VALUES ($1, 'water_burst', $2, 'burst flag', now() - $3 * interval '1 second', now(), now() ${extra ? ', true, now()' : ''})
       RETURNING id::int AS id`,
      [`T-${run}-${++subjects}`, severity, ageS],
    );
    return (rows[0] as { id: number }).id;
  };
  const deliveryOf = async (id: number) =>
    (
      await db.query<{
        attempts: number;
        delivered: boolean;
        gaveUp: boolean;
        lastStatus: number | null;
        lastError: string | null;
      }>(
        `SELECT attempts, delivered_at IS NOT NULL AS delivered, gave_up_at IS NOT NULL AS "gaveUp",
                last_status AS "lastStatus", last_error AS "lastError"
           FROM webhook_deliveries WHERE id = $1`,
        [id],
      )
    ).rows[0];
  const newestDelivery = async () =>
    ((await db.query<{ id: number }>('SELECT max(id)::int AS id FROM webhook_deliveries')).rows[0] as { id: number })
      .id;

  it('escalates an unacknowledged critical alarm once past the delay, whichever process gets there first', async () => {
    const overdue = await alarm('critical', 120);
    const recent = await alarm('critical', 10);
    const acknowledged = await alarm('critical', 120, 'ack');
    const major = await alarm('major', 120);

    const passes = await Promise.all(
      [db, other, db].map((d) => escalateOverdue(d, { afterSeconds: 60, webhook: true })),
    );
    const escalated = passes.flatMap((p) => p.alarms.map((a) => a.id));
    expect(escalated.filter((id) => [overdue, recent, acknowledged, major].includes(id))).toEqual([overdue]);

    const events = passes.flatMap((p) => p.events).filter((e) => e.event === 'alarm' && e.payload.alarm.id === overdue);
    expect(events).toHaveLength(1);
    expect(events[0]?.payload).toMatchObject({ action: 'escalated', alarm: { escalatedAt: expect.any(String) } });
    const history = await db.query<{ kind: string; actor: string | null }>(
      'SELECT kind, actor FROM alarm_events WHERE alarm_id = $1',
      [overdue],
    );
    expect(history.rows).toEqual([{ kind: 'escalated', actor: null }]);
    const queued = await db.query<{ event: string; payload: { event: string; alarm: { id: number } } }>(
      `SELECT event, payload FROM webhook_deliveries WHERE payload->'alarm'->>'id' = $1`,
      [String(overdue)],
    );
    expect(queued.rows).toEqual([
      { event: ESCALATED_EVENT, payload: expect.objectContaining({ event: ESCALATED_EVENT }) },
    ]);
    expect(queued.rows[0]?.payload.alarm.id).toBe(overdue);

    // Without a webhook, an escalation is on the stream only.
    const quiet = await alarm('critical', 120);
    await escalateOverdue(db, { afterSeconds: 60, webhook: false });
    const none = await db.query(`SELECT 1 FROM webhook_deliveries WHERE payload->'alarm'->>'id' = $1`, [String(quiet)]);
    expect(none.rows).toEqual([]);
  });

  it('the timer escalates, publishes to the hub and calls the webhook: retried after failures, it arrives once, signed', async () => {
    const hook = await receiver([500, 503, 204]);
    servers.push(hook.server);
    const published: LiveEvent[] = [];
    const overdue = await alarm('critical', 120);
    const operations = AlarmOperations.start({
      db,
      hub: { publish: (events) => published.push(...events) },
      log: silent,
      settings: {
        ...DEFAULT_ALARM_OPERATIONS_SETTINGS,
        escalateAfterSeconds: 60,
        webhook: { url: hook.url, secret: SECRET },
      },
      timings: { escalationMs: 20, webhookMs: 20 },
      backoff: { baseMs: 30, capMs: 100, maxAttempts: 5 },
    });
    try {
      await vi.waitFor(() => expect(hook.calls.filter((c) => c.body.includes(`"id":${overdue},`))).toHaveLength(3), {
        timeout: 5000,
      });
      const calls = hook.calls.filter((c) => c.body.includes(`"id":${overdue},`));
      const last = calls[2] as Call;
      expect(last.headers).toMatchObject({
        'content-type': 'application/json',
        'x-city-event': ESCALATED_EVENT,
        'x-city-delivery': expect.stringMatching(/^\d+$/),
      });
      // Every attempt is the same delivery, freshly signed.
      expect(new Set(calls.map((c) => c.headers['x-city-delivery'])).size).toBe(1);
      const signed = {
        timestamp: String(last.headers['x-city-timestamp']),
        body: last.body,
        signature: String(last.headers['x-city-signature']),
      };
      expect(verifyWebhookSignature(SECRET, signed)).toBe(true);
      expect(verifyWebhookSignature('another secret, as long as the real one', signed)).toBe(false);
      expect(JSON.parse(last.body)).toMatchObject({
        event: ESCALATED_EVENT,
        alarm: { id: overdue, severity: 'critical' },
      });

      const id = Number(last.headers['x-city-delivery']);
      await vi.waitFor(async () => expect(await deliveryOf(id)).toMatchObject({ delivered: true }));
      expect(await deliveryOf(id)).toEqual({
        attempts: 3,
        delivered: true,
        gaveUp: false,
        lastStatus: 204,
        lastError: null,
      });
      expect(
        published.filter((e) => e.event === 'alarm' && e.payload.alarm.id === overdue).map((e) => e.payload),
      ).toEqual([expect.objectContaining({ action: 'escalated' })]);
      // No more calls once delivered.
      await new Promise((resolve) => setTimeout(resolve, 150));
      expect(hook.calls.filter((c) => c.body.includes(`"id":${overdue},`))).toHaveLength(3);
      const metrics = await operations.metrics.registry.metrics();
      // The earlier test's delivery went to this receiver too.
      const attempts = (outcome: string) =>
        Number(metrics.match(new RegExp(`twin_webhook_attempts_total\\{outcome="${outcome}"\\} (\\d+)`))?.[1]);
      expect(attempts('retry')).toBeGreaterThanOrEqual(2);
      expect(attempts('delivered')).toBeGreaterThanOrEqual(1);
      expect(metrics).toMatch(/twin_alarm_escalations_total [1-9]/);
      expect((await operations.healthChecks().webhook?.())?.up).toBe(true);
    } finally {
      await operations.close();
    }
  });

  it('gives up after the last attempt on a receiver that fails or does not answer, with the reason', async () => {
    const failing = await receiver([502]);
    const hanging = await receiver(['hang']);
    servers.push(failing.server, hanging.server);
    const ids: number[] = [];
    for (const hook of [failing, hanging]) {
      await queueDeliveries(db, [{ event: 'test.failing', payload: { hook: hook.url } }]);
      ids.push(await newestDelivery());
      const operations = AlarmOperations.start({
        db,
        hub: { publish: () => {} },
        log: silent,
        settings: { ...DEFAULT_ALARM_OPERATIONS_SETTINGS, webhook: { url: hook.url, secret: SECRET } },
        timings: { webhookMs: 20 },
        backoff: { baseMs: 10, capMs: 20, maxAttempts: 2 },
        webhookTimeoutMs: 100,
      });
      try {
        await vi.waitFor(async () => expect(await deliveryOf(ids.at(-1) as number)).toMatchObject({ gaveUp: true }), {
          timeout: 5000,
        });
        expect((await operations.healthChecks().webhook?.()) as object).toMatchObject({
          up: true,
          failedLastDay: expect.any(Number),
        });
      } finally {
        await operations.close();
      }
    }
    expect(await deliveryOf(ids[0] as number)).toEqual({
      attempts: 2,
      delivered: false,
      gaveUp: true,
      lastStatus: 502,
      lastError: 'HTTP 502',
    });
    expect(await deliveryOf(ids[1] as number)).toMatchObject({
      attempts: 2,
      gaveUp: true,
      lastStatus: null,
      lastError: 'no answer within 100 ms',
    });
  });

  it('prunes the stream log, alarm hits and finished deliveries past the retention, keeping the newest event', async () => {
    const old = "now() - interval '8 days'";
    await db.query(
      `INSERT INTO live_events (event, payload, at) VALUES ('alarm', '{}', ${old}), ('alarm', '{}', now())`,
    );
    await db.query(
      `INSERT INTO alarm_hits (subject, alarm_type, dev_eui, reading_at, at) VALUES ('T-${run}-old', 't', 'd', now(), ${old}), ('T-${run}-new', 't', 'd', now(), now())`,
    );
    await db.query(
      `INSERT INTO webhook_deliveries (event, payload, delivered_at) VALUES ('test.old', '{}', ${old}), ('test.new', '{}', now())`,
    );
    const operations = AlarmOperations.start({
      db,
      hub: { publish: () => {} },
      log: silent,
      settings: DEFAULT_ALARM_OPERATIONS_SETTINGS,
      timings: { escalationMs: 60_000 },
    });
    const count = async (sql: string) => ((await db.query<{ n: number }>(sql)).rows[0] as { n: number }).n;
    try {
      await vi.waitFor(async () =>
        expect(await count(`SELECT count(*)::int AS n FROM live_events WHERE at < now() - interval '7 days'`)).toBe(0),
      );
      expect(await count(`SELECT count(*)::int AS n FROM alarm_hits WHERE subject LIKE 'T-${run}-%'`)).toBe(1);
      expect(
        await count(
          `SELECT count(*)::int AS n FROM webhook_deliveries WHERE event LIKE 'test.%' AND delivered_at < now() - interval '7 days'`,
        ),
      ).toBe(0);
      expect(await count(`SELECT count(*)::int AS n FROM webhook_deliveries WHERE event = 'test.new'`)).toBeGreaterThan(
        0,
      );
      expect(await count(`SELECT count(*)::int AS n FROM live_events`)).toBeGreaterThan(0);
    } finally {
      await operations.close();
    }
  });
});

describe('the alarm operations settings', () => {
  const config = {
    alarmEscalateAfterSeconds: 900,
    alarmWebhookUrl: undefined as string | undefined,
    alarmWebhookSecret: undefined as string | undefined,
    alarmLogRetentionDays: 7,
  };

  it('needs a webhook URL and secret together, the URL http(s), the secret 32+ characters', () => {
    expect(alarmOperationsSettings(config)).toEqual({
      escalateAfterSeconds: 900,
      webhook: undefined,
      retentionHours: 168,
    });
    const url = 'https://gateway.example/hook?token=t0ps3cret';
    expect(alarmOperationsSettings({ ...config, alarmWebhookUrl: url, alarmWebhookSecret: SECRET }).webhook).toEqual({
      url,
      secret: SECRET,
    });
    expect(() => alarmOperationsSettings({ ...config, alarmWebhookUrl: url })).toThrow(
      /ALARM_WEBHOOK_SECRET of at least 32/,
    );
    expect(() => alarmOperationsSettings({ ...config, alarmWebhookUrl: url, alarmWebhookSecret: 'short' })).toThrow(
      /at least 32/,
    );
    expect(() => alarmOperationsSettings({ ...config, alarmWebhookSecret: SECRET })).toThrow(
      /ALARM_WEBHOOK_URL is not/,
    );
    const ftp = () =>
      alarmOperationsSettings({ ...config, alarmWebhookUrl: 'ftp://x/t0ps3cret', alarmWebhookSecret: SECRET });
    expect(ftp).toThrow(/http\(s\) URL/);
    expect(ftp).not.toThrow(/t0ps3cret/);
    expect(() => alarmOperationsSettings({ ...config, alarmLogRetentionDays: 0 })).toThrow(/at least 1/);
  });
});
