import { afterAll, describe, expect, it, vi } from 'vitest';
import { ENGINES, FIXTURES, reportsServer } from '../../test/reports-server.ts';

describe.each(ENGINES)('working incidents on %s', async (_engine, open) => {
  const server = await reportsServer(open);
  const { app, db } = server;
  afterAll(() => server.close());
  const admin = await server.as('admin');
  const operator = await server.as('operator');
  const water = await server.as('dispatcher', 'vodokanal');
  const lights = await server.as('dispatcher', 'misksvitlo');
  const nobody = await server.as('dispatcher', null);
  const viewer = await server.as('viewer');

  /** A new incident on `object` (each test its own category, so incidents do not merge across tests). */
  const opened = async (object: { number: string }, category: string) => {
    const res = await app.inject({
      method: 'POST',
      url: '/api/v1/reports',
      payload: { objectNumber: object.number, category },
    });
    expect(res.statusCode).toBe(201);
    return res.json().incidentId as number;
  };
  const transition = (as: typeof admin, id: number, payload: object) =>
    as({ method: 'POST', url: `/api/v1/incidents/${id}/transition`, payload });
  const auditOf = async (target: string) =>
    (
      await db.query<{ actor: string | null; role: string | null; action: string; status: number }>(
        'SELECT actor, role, action, status FROM audit_log WHERE target = $1 ORDER BY id',
        [target],
      )
    ).rows;
  /** Audit rows are written once the answer has gone out: wait until `count` of them are there. */
  const settledAudit = async (target: string, count: number) => {
    await vi.waitFor(async () => expect(await auditOf(target)).toHaveLength(count));
    return auditOf(target);
  };

  it('a dispatcher works their utility’s incidents only (403 otherwise); every action is audited with its incident', async () => {
    const pipe = await opened(FIXTURES.manhole, 'open_manhole');
    const lamp = await opened(FIXTURES.pole, 'light_out');

    // Reading: their own, a 403 for another utility's, their utility forced on the list.
    expect((await water({ url: `/api/v1/incidents/${pipe}` })).statusCode).toBe(200);
    const refusedRead = await water({ url: `/api/v1/incidents/${lamp}` });
    expect(refusedRead.statusCode).toBe(403);
    expect(refusedRead.json()).toMatchObject({ error: 'forbidden', message: expect.stringContaining('misksvitlo') });
    const list = (await water({ url: '/api/v1/incidents?limit=1000' })).json() as { id: number; utility: string }[];
    expect(list.map((i) => i.id)).toContain(pipe);
    expect(list.map((i) => i.id)).not.toContain(lamp);
    expect(new Set(list.map((i) => i.utility))).toEqual(new Set(['vodokanal']));
    expect((await water({ url: '/api/v1/incidents?utility=misksvitlo' })).statusCode).toBe(403);
    expect((await nobody({ url: '/api/v1/incidents' })).json()).toEqual([]);
    expect((await nobody({ url: `/api/v1/incidents/${pipe}` })).statusCode).toBe(403);

    // Acting: the same.
    const refused = await transition(water, lamp, { to: 'acknowledged' });
    expect(refused.statusCode).toBe(403);
    const refusedComment = await water({
      method: 'POST',
      url: `/api/v1/incidents/${lamp}/comments`,
      payload: { text: 'not ours' },
    });
    expect(refusedComment.statusCode).toBe(403);
    expect((await lights({ url: `/api/v1/incidents/${lamp}` })).json().status).toBe('new');
    expect((await transition(lights, lamp, { to: 'acknowledged' })).statusCode).toBe(200);
    expect((await transition(water, pipe, { to: 'acknowledged', comment: 'on it' })).statusCode).toBe(200);
    // Viewers and wall screens read, and may not act.
    expect((await viewer({ url: `/api/v1/incidents/${lamp}` })).statusCode).toBe(200);
    expect((await transition(viewer, lamp, { to: 'assigned', assignee: { kind: 'crew', name: 'c' } })).statusCode).toBe(
      403,
    );
    const key = (
      await admin({ method: 'POST', url: '/api/v1/api-keys', payload: { name: 'wall', role: 'kiosk' } })
    ).json();
    const kiosk = { authorization: `Bearer ${key.key}` };
    expect((await app.inject({ url: `/api/v1/incidents/${lamp}`, headers: kiosk })).statusCode).toBe(200);
    const kioskAct = await app.inject({
      method: 'POST',
      url: `/api/v1/incidents/${lamp}/comments`,
      headers: kiosk,
      payload: { text: 'hi' },
    });
    expect(kioskAct.statusCode).toBe(403);

    const lampAudit = await settledAudit(`incident ${lamp}: acknowledged`, 2);
    expect(lampAudit).toEqual([
      {
        actor: 'dispatcher-of-the-test',
        role: 'dispatcher',
        action: 'POST /api/v1/incidents/:id/transition',
        status: 403,
      },
      {
        actor: 'dispatcher-of-misksvitlo',
        role: 'dispatcher',
        action: 'POST /api/v1/incidents/:id/transition',
        status: 200,
      },
    ]);
    expect(await settledAudit(`incident ${lamp}: comment`, 1)).toEqual([
      {
        actor: 'dispatcher-of-the-test',
        role: 'dispatcher',
        action: 'POST /api/v1/incidents/:id/comments',
        status: 403,
      },
    ]);
    expect((await settledAudit(`incident ${pipe}: acknowledged`, 1)).map((r) => r.status)).toEqual([200]);
    // The viewer's refusal names the incident too (its parameters).
    const viewerRefusal = await db.query<{ target: string }>(
      "SELECT target FROM audit_log WHERE role = 'viewer' AND action = 'POST /api/v1/incidents/:id/transition' ORDER BY id DESC LIMIT 1",
    );
    expect(viewerRefusal.rows[0]?.target).toContain(String(lamp));
    // Residents' reports are audited as well, naming the report and its incident.
    const reported = await db.query<{ target: string; actor: string | null }>(
      "SELECT target, actor FROM audit_log WHERE action = 'POST /api/v1/reports' AND target LIKE $1",
      [`%(incident ${pipe})`],
    );
    expect(reported.rows).toEqual([{ target: expect.stringMatching(/^report \d+ on ЛК-97-00001/), actor: null }]);
  });

  it('enforces the lifecycle: allowed steps only, with what each needs', async () => {
    const id = await opened(FIXTURES.manhole, 'leak');
    const step = (payload: object) => transition(operator, id, payload);
    const refusedAs = async (payload: object, status: number, error: string) => {
      const res = await step(payload);
      expect({ payload, status: res.statusCode, error: res.json().error }).toEqual({ payload, status, error });
    };
    await refusedAs({ to: 'resolved' }, 409, 'invalid_transition');
    await refusedAs({ to: 'in_progress' }, 409, 'invalid_transition');
    await refusedAs({ to: 'assigned' }, 400, 'bad_request');
    await refusedAs({ to: 'acknowledged', assignee: { kind: 'crew', name: 'x' } }, 400, 'bad_request');
    await refusedAs({ to: 'duplicate' }, 400, 'bad_request');
    await refusedAs({ to: 'duplicate', duplicateOf: id }, 400, 'bad_request');
    await refusedAs({ to: 'duplicate', duplicateOf: 987_654_321 }, 400, 'bad_request');
    await refusedAs({ to: 'acknowledged', duplicateOf: 1 }, 400, 'bad_request');
    await refusedAs({ to: 'reopened' }, 400, 'bad_request');
    await refusedAs({ to: 'assigned', assignee: { kind: 'friend', name: 'x' } }, 400, 'bad_request');
    await refusedAs({ to: 'acknowledged', comment: 'x'.repeat(2001) }, 400, 'bad_request');
    expect((await transition(operator, 987_654_321, { to: 'acknowledged' })).statusCode).toBe(404);

    expect((await step({ to: 'acknowledged' })).statusCode).toBe(200);
    await refusedAs({ to: 'acknowledged' }, 409, 'invalid_transition');
    const assigned = (await step({ to: 'assigned', assignee: { kind: 'crew', name: 'brigade 3' } })).json();
    expect(assigned).toMatchObject({
      status: 'assigned',
      assignee: { kind: 'crew', name: 'brigade 3' },
      utility: 'vodokanal',
    });
    expect((await step({ to: 'in_progress' })).statusCode).toBe(200);
    const resolved = (await step({ to: 'resolved', comment: 'valve replaced', public: true })).json();
    expect(resolved.status).toBe('resolved');
    expect(resolved.closedAt).not.toBeNull();
    expect(resolved.slaBreached).toBe(false);
    expect(resolved.events.filter((e: { kind: string }) => e.kind === 'status')).toEqual([
      expect.objectContaining({ fromStatus: null, status: 'new', actor: null }),
      expect.objectContaining({ fromStatus: 'new', status: 'acknowledged', actor: 'operator-of-the-test' }),
      expect.objectContaining({ fromStatus: 'acknowledged', status: 'assigned' }),
      expect.objectContaining({ fromStatus: 'assigned', status: 'in_progress' }),
      expect.objectContaining({
        fromStatus: 'in_progress',
        status: 'resolved',
        comment: 'valve replaced',
        public: true,
      }),
    ]);
    for (const to of ['acknowledged', 'in_progress', 'rejected']) await refusedAs({ to }, 409, 'invalid_transition');
  });

  it('assigning to another utility hands the incident over', async () => {
    const id = await opened(FIXTURES.manhole2, 'broken_wire');
    const handed = await transition(water, id, { to: 'assigned', assignee: { kind: 'utility', name: 'misksvitlo' } });
    expect(handed.statusCode).toBe(200);
    expect(handed.json()).toMatchObject({ utility: 'misksvitlo', assignee: { kind: 'utility', name: 'misksvitlo' } });
    expect((await transition(water, id, { to: 'in_progress' })).statusCode).toBe(403);
    expect((await transition(lights, id, { to: 'in_progress' })).statusCode).toBe(200);
  });

  it('two dispatchers acting at once take turns: one step succeeds, the other is refused', async () => {
    const id = await opened(FIXTURES.manhole3, 'broken_wire');
    const other = await server.as('admin', null);
    const results = await Promise.all([
      transition(water, id, { to: 'acknowledged' }),
      transition(other, id, { to: 'acknowledged' }),
    ]);
    expect(results.map((r) => r.statusCode).sort()).toEqual([200, 409]);
  });

  it('times each incident against its category’s SLA', async () => {
    const id = await opened(FIXTURES.manhole4, 'broken_wire');
    expect((await admin({ url: `/api/v1/incidents/${id}` })).json().slaBreached).toBe(false);
    await db.query("UPDATE incidents SET sla_due_at = now() - interval '1 minute' WHERE id = $1", [id]);
    expect((await admin({ url: `/api/v1/incidents/${id}` })).json().slaBreached).toBe(true);
    // Rejected late is not a breach of the time to resolve.
    expect((await transition(admin, id, { to: 'rejected' })).json().slaBreached).toBe(false);
  });

  it('filters the list and answers bad queries with 400', async () => {
    const id = await opened(FIXTURES.tree, 'other');
    const q = async (query: string) =>
      ((await admin({ url: `/api/v1/incidents?${query}` })).json() as { id: number }[]).map((i) => i.id);
    expect(await q('category=other&district=97&status=new&open=true&limit=1000')).toContain(id);
    expect(await q(`objectNumber=${encodeURIComponent(FIXTURES.tree.number)}&utility=zelenbud`)).toContain(id);
    expect(await q('category=other&open=false&limit=1000')).not.toContain(id);
    expect(await q('status=resolved&limit=1000')).not.toContain(id);
    for (const bad of ['status=done', 'limit=0', 'limit=1001', 'offset=-1', 'category=A', 'open=maybe', 'whatever=1']) {
      const res = await admin({ url: `/api/v1/incidents?${bad}` });
      expect({ bad, status: res.statusCode }).toEqual({ bad, status: 400 });
    }
    for (const url of ['/api/v1/incidents/0', '/api/v1/incidents/abc', '/api/v1/incidents/1e99']) {
      expect((await admin({ url })).statusCode).toBe(400);
    }
    expect((await admin({ url: '/api/v1/incidents/987654321' })).statusCode).toBe(404);
    expect((await app.inject({ url: '/api/v1/incidents' })).statusCode).toBe(401);
    const badComment = await admin({ method: 'POST', url: `/api/v1/incidents/${id}/comments`, payload: { text: '' } });
    expect(badComment.statusCode).toBe(400);
  });
});
