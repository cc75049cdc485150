import { ACCESS, CODECS, ErrorBody, openPglite } from '@city/ingest';
import Fastify, { type FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import { afterAll, describe, expect, it } from 'vitest';
import { testServer } from '../../test/test-server.ts';
import { installAccessControl, routeTable } from '../access/access-control.ts';
import { registerOpenApi } from './openapi.ts';

describe("the platform server with ingest's routes", async () => {
  // With the dashboard's routes (not built here: they answer 503), so that the route walk sees them too.
  const server = await testServer({
    dashboard: { dir: '/nonexistent/dashboard', basemapFile: '/nonexistent/city.pmtiles' },
  });
  const { app } = server;
  const registry = server.ingest.registry;
  const operator = await server.as('operator');
  afterAll(() => server.close());

  it('registers, lists, gets and patches devices, and the registry cache follows', async () => {
    const created = await operator({
      method: 'POST',
      url: '/api/v1/devices',
      payload: { devEui: '24E124713B172430', model: 'milesight-iot/em310-udl', name: 'bin 17' },
    });
    expect(created.statusCode).toBe(201);
    expect(created.json()).toMatchObject({ devEui: '24e124713b172430', objectNumber: null, lastSeen: null });
    const patched = await operator({
      method: 'PATCH',
      url: '/api/v1/devices/24e124713b172430',
      payload: { objectNumber: 'СМ-03-00017', settings: { binDepthMm: 900 } },
    });
    expect(patched.json()).toMatchObject({ objectNumber: 'СМ-03-00017', settings: { binDepthMm: 900 } });
    expect(registry.get('24e124713b172430')).toMatchObject({
      objectNumber: 'СМ-03-00017',
      settings: { binDepthMm: 900 },
    });
    const list = await operator({ url: '/api/v1/devices?objectNumber=%D0%A1%D0%9C-03-00017' });
    expect(list.json()).toHaveLength(1);
  });

  it('answers bad requests with 4xx and {error, message}', async () => {
    const cases = [
      {
        method: 'POST',
        url: '/api/v1/devices',
        payload: { devEui: 'xyz', model: 'cayenne/lpp' },
        status: 400,
        error: 'bad_request',
      },
      {
        method: 'POST',
        url: '/api/v1/devices',
        payload: { devEui: '0101010101010101', model: 'acme/unknown' },
        status: 400,
        error: 'unknown_model',
      },
      {
        method: 'PATCH',
        url: '/api/v1/devices/0202020202020202',
        payload: { name: 'x' },
        status: 404,
        error: 'not_found',
      },
      { method: 'GET', url: '/api/v1/devices/0202020202020202', status: 404, error: 'not_found' },
      { method: 'GET', url: '/api/v1/devices/0101010101010101/readings?bucket=5y', status: 400, error: 'bad_request' },
      {
        method: 'GET',
        url: '/api/v1/devices/0101010101010101/readings?from=2026-01-02T00:00:00Z&to=2026-01-01T00:00:00Z',
        status: 400,
        error: 'bad_request',
      },
      { method: 'GET', url: '/api/v1/dead-letters?reason=whatever', status: 400, error: 'bad_request' },
      { method: 'GET', url: '/api/v1/nowhere', status: 404, error: 'not_found' },
    ] as const;
    for (const c of cases) {
      const res = await operator({ method: c.method, url: c.url, ...('payload' in c ? { payload: c.payload } : {}) });
      expect({ url: c.url, status: res.statusCode, error: res.json().error }).toEqual({
        url: c.url,
        status: c.status,
        error: c.error,
      });
      expect(typeof res.json().message).toBe('string');
    }
  });

  it('lists codecs and decodes a payload as ingest would', async () => {
    const codecs = (await app.inject({ url: '/api/v1/codecs' })).json() as { model: string; class: string }[];
    expect(codecs).toHaveLength(CODECS.length);
    expect(codecs).toContainEqual(expect.objectContaining({ model: 'milesight-iot/em310-udl', class: 'bin' }));
    const ok = await operator({
      method: 'POST',
      url: '/api/v1/codecs/milesight-iot/em310-udl/decode',
      payload: { fPort: 85, bytes: '01755c03824408040001' },
    });
    expect(ok.statusCode).toBe(200);
    expect(ok.json().data).toEqual({ battery: 92, distance: 2116, tilt: 'tilt' });
    expect(ok.json().metrics).toContainEqual({ metric: 'battery', value: 92 });
    const bad = await operator({
      method: 'POST',
      url: '/api/v1/codecs/milesight-iot/em310-udl/decode',
      payload: { fPort: 85, bytes: '0175' },
    });
    expect(bad.statusCode).toBe(422);
    expect(bad.json()).toMatchObject({ error: 'decode_failed', errors: [expect.any(String)] });
    const unknown = await operator({
      method: 'POST',
      url: '/api/v1/codecs/acme/thing/decode',
      payload: { fPort: 1, bytes: '00' },
    });
    expect(unknown.json()).toMatchObject({ error: 'unknown_model' });
  });

  it('reports health per component, 503 when one is down', async () => {
    const res = await app.inject({ url: '/api/v1/health' });
    expect(res.statusCode).toBe(503);
    expect(res.json()).toEqual({ status: 'degraded', components: { db: { up: true }, mqtt: { up: false } } });
    // Staff see each component's details too.
    const staff = await operator({ url: '/api/v1/health' });
    expect(staff.json().components.db).toEqual({ up: true, engine: 'pglite' });
  });

  it('serves the OpenAPI document and Prometheus metrics', async () => {
    const spec = (await app.inject({ url: '/docs/json' })).json() as { paths: Record<string, unknown> };
    expect(Object.keys(spec.paths)).toEqual(
      expect.arrayContaining([
        '/api/v1/devices',
        '/api/v1/devices/{devEui}/readings',
        '/api/v1/codecs/{vendor}/{codec}/decode',
      ]),
    );
    const page = await app.inject({ url: '/docs' });
    expect([200, 302]).toContain(page.statusCode);
    const ui = await app.inject({
      url: page.statusCode === 302 ? new URL(page.headers.location as string, 'http://x/docs/').pathname : '/docs',
    });
    expect(ui.statusCode).toBe(200);
    // Security headers on every answer; the page's scripts are its own files, as the policy wants.
    expect(ui.headers['content-security-policy']).toMatch(/script-src 'self'/);
    expect(ui.headers['x-content-type-options']).toBe('nosniff');
    expect(ui.body).not.toMatch(/<script>[^<]/);
    const metrics = await operator({ url: '/metrics' });
    expect(metrics.body).toMatch(/process_cpu_user_seconds_total/);
  });

  it('documents every route, and the answer each /api/v1 operation gives on success', async () => {
    // Each part of the server is in the route table: one that lost them would pass the rest.
    for (const prefix of ['/api/v1/', '/open311/v2/', '/ngsi-ld/v1/', '/metrics']) {
      expect(routeTable(app).some((r) => r.url.startsWith(prefix))).toBe(true);
    }
    expect(await documentationGaps(app)).toEqual({ undocumented: [], unanswered: [] });
  });
});

describe('the documentation check', async () => {
  const db = await openPglite();
  const app = Fastify();
  installAccessControl(app, db);
  await registerOpenApi(app);
  const handler = async () => ({});
  const config = { access: ACCESS.public };
  const response = { 200: Type.Object({}) };
  app.get('/api/v1/shown', { config, schema: { tags: ['t'], response } }, handler);
  app.get('/api/v1/hidden/:id', { config, schema: { hide: true, response } }, handler);
  app.get('/api/v1/bare', { config, schema: { tags: ['t'] } }, handler);
  app.post('/api/v1/errors-only', { config, schema: { tags: ['t'], response: { 400: ErrorBody } } }, handler);
  afterAll(async () => {
    await app.close();
    await db.close();
  });

  it('finds a route hidden from the page, and operations that do not say what they answer', async () => {
    expect(await documentationGaps(app)).toEqual({
      undocumented: ['GET /api/v1/hidden/:id'],
      unanswered: ['GET /api/v1/bare', 'POST /api/v1/errors-only'],
    });
  });
});

describe('rate limiting', async () => {
  const server = await testServer({ rateLimits: { api: 3, signIn: 3, commands: 3 } });
  afterAll(() => server.close());

  it('answers 429 rate_limited past the limit, per route family', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 4; i++) statuses.push((await server.app.inject({ url: '/api/v1/codecs' })).statusCode);
    expect(statuses).toEqual([200, 200, 200, 429]);
    expect((await server.app.inject({ url: '/api/v1/codecs' })).json()).toMatchObject({ error: 'rate_limited' });
    expect((await server.app.inject({ url: '/api/v1/health' })).statusCode).not.toBe(429);
    // Each family counts on its own: the spent API allowance leaves sign-in its own.
    const login = await server.app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { username: 'nobody', password: 'x' },
    });
    expect(login.statusCode).toBe(401);
  });
});

interface OpenApiResponse {
  content?: Record<string, { schema?: object }>;
}
interface OpenApiDocument {
  paths: Record<string, Record<string, { responses?: Record<string, OpenApiResponse> }>>;
}

/** A fastify route URL as OpenAPI writes its path: `:param` (and any pattern after it) as `{param}`, a wildcard as `{*}`. */
const openApiPath = (url: string) => url.replace(/:(\w+)(\([^)]*\))?/g, '{$1}').replace(/\*$/, '{*}');

/**
 * What the OpenAPI page (`/docs/json`) leaves out of `app`: routes it does not list with their
 * method (`undocumented`, as `METHOD /url`; HEAD and the page's own routes aside), and /api/v1
 * operations without the answer of their success status (`unanswered`): a route that declares
 * no response schema gets swagger's bare `200: Default Response`.
 */
async function documentationGaps(app: FastifyInstance): Promise<{ undocumented: string[]; unanswered: string[] }> {
  const spec = (await app.inject({ url: '/docs/json' })).json() as OpenApiDocument;
  const undocumented = routeTable(app)
    .filter((r) => r.method !== 'HEAD' && !/^\/docs(\/|$)/.test(r.url))
    .filter((r) => !spec.paths[openApiPath(r.url)]?.[r.method.toLowerCase()])
    .map((r) => `${r.method} ${r.url}`);
  // 204 has no body; JSON says its shape; other media types (CSV, HTML, images) say at least which they are.
  const described = ([status, response]: [string, OpenApiResponse]) =>
    status === '204' ||
    Object.entries(response.content ?? {}).some(
      ([type, media]) =>
        media.schema !== undefined && (type !== 'application/json' || Object.keys(media.schema).length > 0),
    );
  const unanswered: string[] = [];
  for (const [path, operations] of Object.entries(spec.paths)) {
    if (!path.startsWith('/api/v1/')) continue;
    for (const [method, op] of Object.entries(operations)) {
      const success = Object.entries(op.responses ?? {}).filter(([status]) => /^2(\d\d|XX)$/.test(status));
      if (success.length === 0 || !success.every(described)) unanswered.push(`${method.toUpperCase()} ${path}`);
    }
  }
  return { undocumented, unanswered };
}
