import { afterAll, describe, expect, it, vi } from 'vitest';
import { ENGINES, FIXTURES, reportsServer } from '../../test/reports-server.ts';

const form = (fields: Record<string, string>) => new URLSearchParams(fields).toString();
const FORM = { 'content-type': 'application/x-www-form-urlencoded' };

describe.each(ENGINES)('Open311 GeoReport v2 on %s', async (_engine, open) => {
  const server = await reportsServer(open);
  const { app, db } = server;
  afterAll(() => server.close());
  const operator = await server.as('operator');
  const get = (url: string, headers: Record<string, string> = {}) => app.inject({ url: `/open311/v2${url}`, headers });
  const post = (payload: string | object, headers: Record<string, string> = {}) =>
    app.inject({ method: 'POST', url: '/open311/v2/requests.json', payload, headers });
  /** Open311's error body: one `{code, description}` with the HTTP status. */
  const expectError = (res: { statusCode: number; json(): unknown }, status: number) => {
    expect(res.statusCode).toBe(status);
    expect(res.json()).toEqual([{ code: status, description: expect.any(String) }]);
  };

  it('lists the report categories as services, each with its object_number attribute', async () => {
    const services = (await get('/services.json')).json();
    expect(services).toHaveLength(7);
    expect(services[0]).toMatchObject({
      service_code: 'open_manhole',
      service_name: 'Відкритий люк',
      metadata: true,
      type: 'realtime',
    });
    expect((await get('/services.json', { 'accept-language': 'en-GB,en;q=0.9' })).json()[0].service_name).toBe(
      'Open manhole',
    );
    const definition = (await get('/services/leak.json')).json();
    expect(definition).toEqual({
      service_code: 'leak',
      attributes: [
        expect.objectContaining({ code: 'object_number', required: true, datatype: 'string', variable: true }),
      ],
    });
    expectError(await get('/services/pothole.json'), 404);
    expectError(await get('/services/BAD!.json'), 400);
  });

  it('POST then GET make a round trip, as JSON and as a form; a request with an object number is a resident report', async () => {
    const created = await post({
      service_code: 'open_manhole',
      attribute: { object_number: FIXTURES.manhole.number },
      description: 'secret description from a resident',
      email: 'someone@example.com',
      phone: '+380501112233',
      first_name: 'Olena',
      last_name: 'Kovalenko',
      lat: 47.851,
      long: 35.151,
    });
    expect(created.statusCode).toBe(201);
    const [answer] = created.json();
    expect(answer).toEqual({
      service_request_id: expect.stringMatching(/^\d+$/),
      token: expect.stringMatching(/^[A-Z2-9]{10}$/),
      service_notice: expect.any(String),
    });
    const id = answer.service_request_id;

    // The same problem reported through a form joins the same request, with a token of its own.
    const viaForm = await post(
      form({
        service_code: 'open_manhole',
        'attribute[object_number]': 'лк-97-00001',
        email: 'other@example.com',
        description: 'another secret',
      }),
      FORM,
    );
    expect(viaForm.statusCode).toBe(201);
    expect(viaForm.json()[0].service_request_id).toBe(id);
    expect(viaForm.json()[0].token).not.toBe(answer.token);
    // ... and so does a JSON body with the attribute as a flat key.
    const flat = await post({ service_code: 'open_manhole', 'attribute[object_number]': FIXTURES.manhole.number });
    expect(flat.json()[0].service_request_id).toBe(id);

    const one = await get(`/requests/${id}.json`);
    expect(one.statusCode).toBe(200);
    expect(one.json()).toEqual([
      {
        service_request_id: id,
        status: 'open',
        status_notes: null,
        service_name: 'Відкритий люк',
        service_code: 'open_manhole',
        description: null,
        agency_responsible: 'vodokanal',
        service_notice: null,
        requested_datetime: expect.any(String),
        updated_datetime: expect.any(String),
        expected_datetime: expect.any(String),
        address: FIXTURES.manhole.address,
        address_id: FIXTURES.manhole.number,
        zipcode: null,
        lat: FIXTURES.manhole.lat,
        long: FIXTURES.manhole.lon,
        media_url: null,
      },
    ]);
    expect((await get(`/tokens/${answer.token}.json`)).json()).toEqual([
      { service_request_id: id, token: answer.token },
    ]);
    expect((await get(`/tokens/${answer.token.toLowerCase()}.json`)).json()[0].service_request_id).toBe(id);

    // It is the resident's report staff see, with the contact they gave.
    const incident = (await operator({ url: `/api/v1/incidents/${id}` })).json();
    expect(incident.reportCount).toBe(3);
    expect(incident.reports[0]).toMatchObject({
      source: 'open311',
      description: 'secret description from a resident',
      contact: 'Olena Kovalenko; someone@example.com; +380501112233',
    });
    // The resident follows it by the token at the REST API too.
    expect((await app.inject({ url: `/api/v1/reports/${answer.token}` })).json().incidentId).toBe(Number(id));

    // Status changes show as open/closed, with the latest public comment as status notes.
    await operator({
      method: 'POST',
      url: `/api/v1/incidents/${id}/transition`,
      payload: { to: 'rejected', comment: 'closed by the utility on inspection', public: true },
    });
    await operator({
      method: 'POST',
      url: `/api/v1/incidents/${id}/comments`,
      payload: { text: 'internal note, not for residents' },
    });
    const closed = (await get(`/requests/${id}.json`)).json()[0];
    expect(closed).toMatchObject({ status: 'closed', status_notes: 'closed by the utility on inspection' });

    // Nobody's text or contact is published: not in one request, not in the list.
    const all = await get('/requests.json');
    for (const body of [one.body, all.body, (await get(`/requests/${id}.json`)).body]) {
      for (const secret of ['secret', 'example.com', '+380501112233', 'Olena', 'Kovalenko', 'internal note']) {
        expect(body).not.toContain(secret);
      }
    }
  });

  it('lists requests by code, status, dates and ids, within bounds', async () => {
    const a = (await post({ service_code: 'light_out', attribute: { object_number: FIXTURES.pole.number } })).json()[0];
    const b = (await post({ service_code: 'bin_overflow', address_id: FIXTURES.bin.number })).json()[0];
    const ids = async (query: string) =>
      ((await get(`/requests.json?${query}`)).json() as { service_request_id: string }[]).map(
        (r) => r.service_request_id,
      );
    expect(await ids('service_code=light_out')).toContain(a.service_request_id);
    expect(await ids('service_code=light_out')).not.toContain(b.service_request_id);
    expect(await ids('service_code=light_out,bin_overflow&status=open')).toEqual(
      expect.arrayContaining([a.service_request_id, b.service_request_id]),
    );
    expect(await ids('status=closed')).not.toContain(a.service_request_id);
    expect(await ids(`service_request_id=${a.service_request_id},${b.service_request_id}`)).toEqual([
      b.service_request_id,
      a.service_request_id,
    ]);
    const hourAgo = new Date(Date.now() - 3600_000).toISOString();
    const inHour = new Date(Date.now() + 3600_000).toISOString();
    expect(await ids(`start_date=${hourAgo}&end_date=${inHour}`)).toContain(a.service_request_id);
    expect(await ids(`end_date=${hourAgo}`)).not.toContain(a.service_request_id);

    expectError(await get('/requests.json?start_date=2020-01-01T00:00:00Z&end_date=2021-01-01T00:00:00Z'), 400);
    expectError(await get(`/requests.json?start_date=${inHour}&end_date=${hourAgo}`), 400);
    for (const bad of ['status=pending', 'service_request_id=abc', 'start_date=yesterday', 'service_code=A', 'x=1']) {
      expectError(await get(`/requests.json?${bad}`), 400);
    }
    expectError(await get('/requests/987654321.json'), 404);
    expectError(await get('/requests/abc.json'), 400);
    expectError(await get('/tokens/ZZZZZZZZZZ.json'), 404);
    expectError(await get('/requests.xml'), 404);
    expectError(await get('/nothing-here'), 404);
  });

  it('refuses bad requests in Open311’s error format, never with a 500', async () => {
    const object = { object_number: FIXTURES.tree.number };
    const reportsOnTree = async () =>
      (
        await db.query<{ n: number }>('SELECT count(*)::int AS n FROM reports WHERE object_number = $1', [
          FIXTURES.tree.number,
        ])
      ).rows[0]?.n;
    const before = await reportsOnTree();
    const cases: [string | object, number, Record<string, string>?][] = [
      [{ service_code: 'fallen_tree' }, 400],
      [{ service_code: 'fallen_tree', lat: 47.8, long: 35.1 }, 400],
      [{ service_code: 'pothole', attribute: object }, 400],
      [{ attribute: object }, 400],
      [{ service_code: 'fallen_tree', attribute: { object_number: 'ДР-97-99999' } }, 404],
      [{ service_code: 'fallen_tree', attribute: { ...object, colour: 'green' } }, 400],
      [{ service_code: 'fallen_tree', attribute: object, lat: 'north' }, 400],
      [{ service_code: 'fallen_tree', attribute: object, lat: 91 }, 400],
      [{ service_code: 'fallen_tree', attribute: object, description: 'x'.repeat(4001) }, 400],
      [{ service_code: 'fallen_tree', attribute: object, description: 'a\u0000b' }, 400],
      [{ service_code: 'fallen_tree', attribute: object, favourite_colour: 'green' }, 400],
      [form({ service_code: 'fallen_tree' }), 400, FORM],
      [`service_code=fallen_tree&attribute[object_number]=${FIXTURES.tree.number}&__proto__=x`, 400, FORM],
      [
        form({
          service_code: 'fallen_tree',
          'attribute[object_number]': FIXTURES.tree.number,
          'attribute[__proto__]': 'x',
        }),
        400,
        FORM,
      ],
      [`service_code=fallen_tree&service_code=leak&attribute[object_number]=${FIXTURES.tree.number}`, 400, FORM],
      ['not json', 400, { 'content-type': 'application/json' }],
      ['%%%', 400, FORM],
      [form({ service_code: 'fallen_tree', description: 'x'.repeat(70_000) }), 413, FORM],
      [{ service_code: 'fallen_tree', description: 'x'.repeat(70_000) }, 413],
    ];
    for (const [payload, status, headers] of cases) {
      const res = await post(payload, headers);
      expect({ payload, status: res.statusCode }).toEqual({ payload, status });
      expectError(res, status);
    }
    // None of them filed anything (on a shared database, other suites' reports are there before and after).
    expect(await reportsOnTree()).toBe(before);
  });

  it('audits each new request with the report and incident it made', async () => {
    const [created] = (
      await post(form({ service_code: 'other', 'attribute[object_number]': FIXTURES.manhole2.number }), FORM)
    ).json();
    // The audit row is written once the answer has gone out: wait for it.
    await vi.waitFor(async () => {
      const { rows } = await db.query<{ target: string; status: number }>(
        "SELECT target, status FROM audit_log WHERE action = 'POST /open311/v2/requests.json' AND target LIKE $1",
        [`%(incident ${created.service_request_id}) via Open311`],
      );
      expect(rows).toEqual([{ target: expect.stringMatching(/^report \d+ on ЛК-97-00005/), status: 201 }]);
    });
  });
});

describe('Open311 rate limit', async () => {
  const [, open] = ENGINES[0] as (typeof ENGINES)[number];
  const server = await reportsServer(open, {
    rateLimits: { api: 3, signIn: 10_000, commands: 10_000, locate: 10_000, reports: 2 },
  });
  afterAll(() => server.close());

  it('answers 429 in Open311’s format past the per-client limit, new requests and reads apart', async () => {
    const payload = { service_code: 'leak', attribute: { object_number: FIXTURES.manhole.number } };
    const statuses: number[] = [];
    for (let i = 0; i < 3; i++) {
      statuses.push(
        (await server.app.inject({ method: 'POST', url: '/open311/v2/requests.json', payload })).statusCode,
      );
    }
    expect(statuses).toEqual([201, 201, 429]);
    const limited = await server.app.inject({ method: 'POST', url: '/open311/v2/requests.json', payload });
    expect(limited.json()).toEqual([{ code: 429, description: expect.stringContaining('rate limit') }]);
    const reads: number[] = [];
    for (let i = 0; i < 4; i++) reads.push((await server.app.inject({ url: '/open311/v2/services.json' })).statusCode);
    expect(reads).toEqual([200, 200, 200, 429]);
  });
});
