import { afterAll, describe, expect, it } from 'vitest';
import { ENGINES, FIXTURES, reportsServer } from '../../test/reports-server.ts';
import { MAX_PHOTO_BYTES } from '../contract/input-limits.ts';
import { TRACKING_CODE_ALPHABET } from '../contract/reports.ts';

const PNG = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52]);
const photo = (contentType: string, bytes: Buffer) => ({ contentType, data: bytes.toString('base64') });

describe.each(ENGINES)('residents’ reports on %s', async (_engine, open) => {
  const server = await reportsServer(open);
  const { app, db } = server;
  afterAll(() => server.close());
  const operator = await server.as('operator');
  const viewer = await server.as('viewer');
  const report = (payload: object) => app.inject({ method: 'POST', url: '/api/v1/reports', payload });
  const track = (code: string) => app.inject({ url: `/api/v1/reports/${encodeURIComponent(code)}` });
  const incident = async (id: number) => (await operator({ url: `/api/v1/incidents/${id}` })).json();
  const transition = (id: number, payload: object) =>
    operator({ method: 'POST', url: `/api/v1/incidents/${id}/transition`, payload });

  it('a report by number becomes an incident at the object’s position; a second one merges, with its own code', async () => {
    const first = await report({
      objectNumber: 'лк 97 00001',
      category: 'open_manhole',
      description: 'Люк відкритий, <script>alert(1)</script>',
      contact: '+380 50 123 45 67',
    });
    expect(first.statusCode).toBe(201);
    const created = first.json();
    expect(created.trackingCode).toMatch(new RegExp(`^[${TRACKING_CODE_ALPHABET}]{10}$`));
    const opened = await incident(created.incidentId);
    const m = FIXTURES.manhole;
    expect(opened).toMatchObject({
      objectNumber: m.number,
      objectType: 'manhole',
      category: 'open_manhole',
      status: 'new',
      utility: 'vodokanal',
      lat: m.lat,
      lon: m.lon,
      district: '97',
      address: m.address,
      reportCount: 1,
      slaBreached: false,
      closedAt: null,
    });
    // open_manhole: 4 hours to resolve (reference-data/report-categories.json).
    expect(Date.parse(opened.slaDueAt) - Date.parse(opened.openedAt)).toBe(4 * 3600_000);
    // Text is kept as typed: it is data, not markup.
    expect(opened.reports[0]).toMatchObject({
      description: 'Люк відкритий, <script>alert(1)</script>',
      contact: '+380 50 123 45 67',
      source: 'api',
      photo: null,
    });

    const second = (await report({ objectNumber: FIXTURES.manhole.number, category: 'open_manhole' })).json();
    expect(second.incidentId).toBe(created.incidentId);
    expect(second.trackingCode).not.toBe(created.trackingCode);
    expect((await incident(created.incidentId)).reportCount).toBe(2);
    // Another category on the same object is another incident.
    const leak = (await report({ objectNumber: FIXTURES.manhole.number, category: 'leak' })).json();
    expect(leak.incidentId).not.toBe(created.incidentId);
  });

  it('reports at the same moment merge into one incident (the database decides)', async () => {
    const results = await Promise.all(
      Array.from({ length: 8 }, () => report({ objectNumber: FIXTURES.manhole2.number, category: 'open_manhole' })),
    );
    expect(results.map((r) => r.statusCode)).toEqual(Array(8).fill(201));
    const bodies = results.map((r) => r.json());
    expect(new Set(bodies.map((b) => b.incidentId)).size).toBe(1);
    expect(new Set(bodies.map((b) => b.trackingCode)).size).toBe(8);
    const merged = await incident(bodies[0].incidentId);
    expect(merged.reportCount).toBe(8);
    expect(merged.reports).toHaveLength(8);
    expect(merged.events.filter((e: { kind: string }) => e.kind === 'status')).toHaveLength(1);
  });

  it('the object is found by its QR code (the resident page URL) or bare number; an unknown one is a 404', async () => {
    const byUrl = await report({ qrToken: 'https://city.example/r/%D0%9E%D0%9F-97-00002', category: 'light_out' });
    expect(byUrl.statusCode).toBe(201);
    const byNumber = await report({ qrToken: 'op-97-00002', category: 'light_out' });
    expect(byNumber.json().incidentId).toBe(byUrl.json().incidentId);
    expect((await incident(byUrl.json().incidentId)).utility).toBe('misksvitlo');
    // An object without an owner: the category's utility works it.
    const bin = (await report({ objectNumber: FIXTURES.bin.number, category: 'bin_overflow' })).json();
    expect((await incident(bin.incidentId)).utility).toBe('vidkhody');

    const unknown = await report({ objectNumber: 'ЛК-97-99999', category: 'open_manhole' });
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json()).toMatchObject({ error: 'unknown_object', message: expect.stringContaining('ЛК-97-99999') });
    const unknownQr = await report({ qrToken: 'https://city.example/r/nothing', category: 'open_manhole' });
    expect(unknownQr.json().error).toBe('unknown_object');
  });

  it('a report after the merge window, or after the incident closed, opens a new incident', async () => {
    const first = (await report({ objectNumber: FIXTURES.tree.number, category: 'fallen_tree' })).json();
    await db.query("UPDATE incidents SET last_report_at = now() - interval '25 hours' WHERE id = $1", [
      first.incidentId,
    ]);
    const late = (await report({ objectNumber: FIXTURES.tree.number, category: 'fallen_tree' })).json();
    expect(late.incidentId).not.toBe(first.incidentId);
    // The stale one stays open for the dispatcher; it only stops collecting.
    expect((await incident(first.incidentId)).status).toBe('new');

    await transition(late.incidentId, { to: 'rejected', comment: 'not found on site' });
    const after = (await report({ objectNumber: FIXTURES.tree.number, category: 'fallen_tree' })).json();
    expect(after.incidentId).not.toBe(late.incidentId);
    expect(after.incidentId).not.toBe(first.incidentId);
  });

  it('the tracking code shows each status change and public comments, nothing private', async () => {
    const filed = (
      await report({
        objectNumber: FIXTURES.manhole3.number,
        category: 'open_manhole',
        description: 'secret words of a resident',
        contact: 'resident@example.com',
      })
    ).json();
    const id = filed.incidentId;
    const fresh = (await track(filed.trackingCode)).json();
    expect(fresh).toMatchObject({
      status: 'new',
      closed: false,
      incidentId: id,
      objectNumber: FIXTURES.manhole3.number,
    });
    expect(fresh.history.map((h: { status: string }) => h.status)).toEqual(['new']);

    expect((await transition(id, { to: 'acknowledged' })).statusCode).toBe(200);
    expect((await transition(id, { to: 'assigned', assignee: { kind: 'crew', name: 'brigade 7' } })).statusCode).toBe(
      200,
    );
    expect((await transition(id, { to: 'in_progress', comment: 'crew on site', public: true })).statusCode).toBe(200);
    const comment = (text: string, isPublic: boolean) =>
      operator({ method: 'POST', url: `/api/v1/incidents/${id}/comments`, payload: { text, public: isPublic } });
    expect((await comment('cover ordered, arrives at noon', true)).statusCode).toBe(201);
    expect((await comment('internal: supplier is late again', false)).statusCode).toBe(201);
    expect((await transition(id, { to: 'resolved', comment: 'internal: replaced cover #A-17' })).statusCode).toBe(200);

    // Case, spaces and dashes do not matter in a code read out on the phone.
    const typed = `${filed.trackingCode.slice(0, 5).toLowerCase()}-${filed.trackingCode.slice(5)}`;
    const res = await track(typed);
    expect(res.statusCode).toBe(200);
    const tracked = res.json();
    expect(tracked.status).toBe('resolved');
    expect(tracked.closed).toBe(true);
    expect(tracked.expectedBy).toBeNull();
    expect(
      tracked.history.map((h: { status: string | null; comment: string | null }) => [h.status, h.comment]),
    ).toEqual([
      ['new', null],
      ['acknowledged', null],
      ['assigned', null],
      ['in_progress', 'crew on site'],
      [null, 'cover ordered, arrives at noon'],
      ['resolved', null],
    ]);
    const times = tracked.history.map((h: { at: string }) => Date.parse(h.at));
    expect(times).toEqual([...times].sort((a, b) => a - b));
    for (const secret of ['secret words', 'resident@example.com', 'internal', 'brigade 7', 'operator-']) {
      expect(res.body).not.toContain(secret);
    }
    expect((await track('ZZZZZZZZZZ')).statusCode).toBe(404);
    expect((await track('not a code')).statusCode).toBe(404);
  });

  it('a duplicate’s reporters follow the incident it repeats', async () => {
    const a = (await report({ objectNumber: FIXTURES.manhole4.number, category: 'leak' })).json();
    const b = (await report({ objectNumber: FIXTURES.manhole4.number, category: 'open_manhole' })).json();
    expect((await transition(a.incidentId, { to: 'duplicate', duplicateOf: b.incidentId })).statusCode).toBe(200);
    expect((await transition(b.incidentId, { to: 'acknowledged' })).statusCode).toBe(200);
    const tracked = (await track(a.trackingCode)).json();
    expect(tracked).toMatchObject({ incidentId: b.incidentId, status: 'acknowledged', closed: false });
    expect(tracked.history.map((h: { status: string }) => h.status)).toEqual(['new', 'duplicate', 'acknowledged']);
  });

  it('contacts reach only staff who act; viewers and the public never see them', async () => {
    const filed = (
      await report({ objectNumber: FIXTURES.pole.number, category: 'broken_wire', contact: 'call me: 0971112233' })
    ).json();
    const seenByOperator = await operator({ url: `/api/v1/incidents/${filed.incidentId}` });
    expect(seenByOperator.body).toContain('0971112233');
    const seenByViewer = await viewer({ url: `/api/v1/incidents/${filed.incidentId}` });
    expect(seenByViewer.statusCode).toBe(200);
    expect(seenByViewer.body).not.toContain('0971112233');
    expect((await track(filed.trackingCode)).body).not.toContain('0971112233');
    const list = await viewer({ url: `/api/v1/incidents?objectNumber=${encodeURIComponent(FIXTURES.pole.number)}` });
    expect(list.body).not.toContain('0971112233');
  });

  it('takes a photo of a stated type and size; staff open it', async () => {
    const withPhoto = await report({
      objectNumber: FIXTURES.bin.number,
      category: 'other',
      photo: photo('image/png', PNG),
    });
    expect(withPhoto.statusCode).toBe(201);
    const { incidentId, id } = withPhoto.json();
    const shown = (await incident(incidentId)).reports.find((r: { id: number }) => r.id === id);
    expect(shown.photo).toEqual({
      contentType: 'image/png',
      bytes: PNG.length,
      url: `/api/v1/incidents/${incidentId}/reports/${id}/photo`,
    });
    const file = await viewer({ url: shown.photo.url });
    expect(file.statusCode).toBe(200);
    expect(file.headers['content-type']).toBe('image/png');
    expect(file.headers['x-content-type-options']).toBe('nosniff');
    expect(file.rawPayload.equals(PNG)).toBe(true);
    expect((await app.inject({ url: shown.photo.url })).statusCode).toBe(401);

    const jpeg = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.alloc(100)]);
    const webp = Buffer.concat([Buffer.from('RIFF'), Buffer.alloc(4), Buffer.from('WEBPVP8 ')]);
    for (const ok of [photo('image/jpeg', jpeg), photo('image/webp', webp)]) {
      expect((await report({ objectNumber: FIXTURES.bin.number, category: 'other', photo: ok })).statusCode).toBe(201);
    }
    const refused = [
      photo('image/jpeg', PNG),
      photo('image/png', Buffer.from('<svg onload="alert(1)"></svg>')),
      // One byte over 2 MB: its base64 still fits the schema, the decoded size does not.
      photo('image/png', Buffer.concat([PNG, Buffer.alloc(MAX_PHOTO_BYTES - PNG.length + 1)])),
      { contentType: 'image/png', data: 'iVBORw0KGgo' },
    ];
    for (const bad of refused) {
      const res = await report({ objectNumber: FIXTURES.bin.number, category: 'other', photo: bad });
      expect(res.statusCode).toBe(400);
      expect(res.json().error).toBe('bad_photo');
    }
    for (const bad of [
      photo('image/svg+xml', PNG),
      photo('image/gif', PNG),
      { contentType: 'image/png', data: '!!!!' },
      { contentType: 'image/png' },
    ]) {
      const res = await report({ objectNumber: FIXTURES.bin.number, category: 'other', photo: bad });
      expect(res.statusCode).toBe(400);
      expect(res.json().error).toBe('bad_request');
    }
    // Past the route's body limit (a photo's base64 and then some): refused before it is read.
    const huge = await report({
      objectNumber: FIXTURES.bin.number,
      category: 'other',
      photo: photo('image/png', Buffer.alloc(3 * 1024 * 1024)),
    });
    expect(huge.statusCode).toBe(413);
  });

  it('bad input is a 4xx that says why, never a 500', async () => {
    const cases: unknown[] = [
      {},
      { category: 'open_manhole' },
      { objectNumber: FIXTURES.manhole.number },
      { objectNumber: FIXTURES.manhole.number, qrToken: FIXTURES.manhole.number, category: 'open_manhole' },
      { objectNumber: FIXTURES.manhole.number, category: 'pothole' },
      { objectNumber: FIXTURES.manhole.number, category: 'OPEN MANHOLE' },
      { objectNumber: FIXTURES.manhole.number, category: 'open_manhole', description: 'x'.repeat(2001) },
      { objectNumber: FIXTURES.manhole.number, category: 'open_manhole', description: '' },
      { objectNumber: FIXTURES.manhole.number, category: 'open_manhole', description: 'nul \u0000 here' },
      { objectNumber: FIXTURES.manhole.number, category: 'open_manhole', description: 'bell \u0007' },
      { objectNumber: FIXTURES.manhole.number, category: 'open_manhole', contact: 'y'.repeat(201) },
      { objectNumber: FIXTURES.manhole.number, category: 'open_manhole', extra: 1 },
      { objectNumber: 'x'.repeat(65), category: 'open_manhole' },
      { objectNumber: 42, category: 'open_manhole' },
      { objectNumber: [FIXTURES.manhole.number, FIXTURES.pole.number], category: 'open_manhole' },
      { objectNumber: FIXTURES.manhole.number, category: 'open_manhole', photo: 'data:image/png;base64,AAAA' },
      [],
      'just text',
    ];
    for (const payload of cases) {
      const res = await app.inject({
        method: 'POST',
        url: '/api/v1/reports',
        payload: payload as object,
        headers: { 'content-type': 'application/json' },
      });
      expect([400, 404], JSON.stringify(payload).slice(0, 80)).toContain(res.statusCode);
      expect(typeof res.json().message).toBe('string');
    }
    const text = await app.inject({
      method: 'POST',
      url: '/api/v1/reports',
      payload: 'category=leak',
      headers: { 'content-type': 'text/plain' },
    });
    expect(text.statusCode).toBe(400);
    expect((await track('x'.repeat(41))).statusCode).toBe(400);
    // Multi-line descriptions are fine.
    const lines = await report({
      objectNumber: FIXTURES.manhole.number,
      category: 'other',
      description: 'line 1\nline 2\ttabbed',
    });
    expect(lines.statusCode).toBe(201);
  });

  it('lists the categories with labels and times to resolve', async () => {
    const res = await app.inject({ url: '/api/v1/report-categories' });
    expect(res.statusCode).toBe(200);
    expect(res.json().map((c: { id: string }) => c.id)).toEqual([
      'open_manhole',
      'broken_wire',
      'light_out',
      'bin_overflow',
      'fallen_tree',
      'leak',
      'other',
    ]);
  });
});

describe('rate limit on filing reports', async () => {
  const [, open] = ENGINES[0] as (typeof ENGINES)[number];
  const server = await reportsServer(open, {
    rateLimits: { api: 10_000, signIn: 10_000, commands: 10_000, locate: 10_000, reports: 3 },
  });
  afterAll(() => server.close());

  it('answers 429 past the per-client limit; reading a code counts apart', async () => {
    const statuses: number[] = [];
    let code = '';
    for (let i = 0; i < 4; i++) {
      const res = await server.app.inject({
        method: 'POST',
        url: '/api/v1/reports',
        payload: { objectNumber: FIXTURES.pole.number, category: 'light_out' },
      });
      statuses.push(res.statusCode);
      if (res.statusCode === 201) code = res.json().trackingCode;
    }
    expect(statuses).toEqual([201, 201, 201, 429]);
    const limited = await server.app.inject({
      method: 'POST',
      url: '/api/v1/reports',
      payload: { objectNumber: FIXTURES.pole.number, category: 'light_out' },
    });
    expect(limited.json()).toMatchObject({ error: 'rate_limited' });
    expect(limited.headers['retry-after']).toBeDefined();
    expect((await server.app.inject({ url: `/api/v1/reports/${code}` })).statusCode).toBe(200);
  });
});
