import { ConfigError, type PrincipalRole, STAFF_ROLES } from '@city/ingest';
import { afterAll, describe, expect, it } from 'vitest';
import { testServer } from '../../test/test-server.ts';
import { buildServer } from '../server/app.ts';
import { routeTable } from './access-control.ts';
import { ensureAccount } from './accounts.ts';
import { jwtSecret } from './jwt-secret.ts';
import { DEMO_PASSWORDS } from './passwords.ts';

const READS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** A concrete URL for a route pattern: every parameter filled with a value its schema takes. */
const concrete = (url: string) =>
  url.replace(':devEui', '0101010101010101').replace(':username', 'nobody').replace(':id', '1');

describe('staff access', async () => {
  const server = await testServer();
  const { app, ingest } = server;
  const table = routeTable(app);
  afterAll(() => server.close());
  const login = (username: string, password: string, on = app) =>
    on.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username, password } });

  it("every route declares who may call it; only sign-in, locating and residents' reports change state without a role", () => {
    expect(table.length).toBeGreaterThan(10);
    const openWrites = table.filter((r) => !READS.has(r.method) && r.access === 'public');
    expect(openWrites.map((r) => `${r.method} ${r.url}`).sort()).toEqual(
      [
        'POST /api/v1/auth/login',
        'POST /api/v1/locate',
        'POST /api/v1/reports',
        'POST /open311/v2/requests.json',
      ].sort(),
    );
  });

  it('a route without a declaration stops the server from starting', async () => {
    const bad = await buildServer({
      logger: (await import('pino')).pino({ level: 'silent' }),
      ingest,
      auth: { jwtSecret: 'x'.repeat(32), tokenTtlSeconds: 60 },
    });
    expect(() => bad.get('/forgotten', async () => 'open')).toThrow(/declares no config.access/);
    await bad.close();
  });

  const guarded = table.filter((r) => r.access !== 'public');
  it.each(guarded.map((r) => [`${r.method} ${r.url}`, r] as const))('%s: 401 without a token', async (_, r) => {
    const res = await app.inject({
      method: r.method as 'GET',
      url: concrete(r.url),
      payload: READS.has(r.method) ? undefined : {},
    });
    expect(res.statusCode).toBe(401);
    if (r.method !== 'HEAD') expect(res.json().error).toBe('unauthorized');
  });

  const writes = guarded.filter((r) => !READS.has(r.method));
  it.each(writes.map((r) => [`${r.method} ${r.url}`, r] as const))(
    '%s: 403 to a role not allowed, through to the handler for one that is, audited either way',
    async (_, r) => {
      const access = r.access as readonly PrincipalRole[];
      const outsider = STAFF_ROLES.find((role) => !access.includes(role));
      const insider = STAFF_ROLES.find((role) => access.includes(role));
      if (!insider) throw new Error(`no staff role may call ${r.url}`);
      const url = concrete(r.url);
      const expected: { role: string; status: number }[] = [];
      // Routes every staff role may call (sign-out, decoding) have no one to refuse.
      if (outsider) {
        const refused = await (await server.as(outsider))({ method: r.method as 'POST', url, payload: {} });
        expect(refused.statusCode).toBe(403);
        expect(refused.json().error).toBe('forbidden');
        expected.push({ role: outsider, status: 403 });
      }
      const allowed = await (await server.as(insider))({ method: r.method as 'POST', url, payload: {} });
      expect([401, 403]).not.toContain(allowed.statusCode);
      expected.push({ role: insider, status: allowed.statusCode });
      const { rows } = await ingest.db.query<{ role: string; status: number }>(
        'SELECT role, status FROM audit_log WHERE action = $1 ORDER BY id',
        [`${r.method} ${r.url}`],
      );
      expect(rows.slice(-expected.length)).toEqual(expected);
    },
  );

  it('signs in and out; a revoked or forged token is refused', async () => {
    const username = 'kateryna';
    await ensureAccount(ingest.db, { username, password: 'long enough password', role: 'viewer' }, { demo: false });
    const wrong = await login(username, 'nope');
    const nobody = await login('nobody', 'nope');
    expect([wrong.statusCode, nobody.statusCode]).toEqual([401, 401]);
    expect(wrong.json().message).toBe(nobody.json().message);

    const signedIn = await login(username, 'long enough password');
    expect(signedIn.json()).toMatchObject({ role: 'viewer', token: expect.any(String) });
    const headers = { authorization: `Bearer ${signedIn.json().token}` };
    expect((await app.inject({ url: '/api/v1/auth/me', headers })).json()).toMatchObject({
      name: username,
      role: 'viewer',
    });
    expect((await app.inject({ url: '/api/v1/devices', headers })).statusCode).toBe(200);
    expect((await app.inject({ method: 'POST', url: '/api/v1/auth/logout', headers })).statusCode).toBe(204);
    expect((await app.inject({ url: '/api/v1/devices', headers })).statusCode).toBe(401);

    const forged = `${signedIn.json().token.slice(0, -4)}AAAA`;
    expect(
      (await app.inject({ url: '/api/v1/devices', headers: { authorization: `Bearer ${forged}` } })).statusCode,
    ).toBe(401);
  });

  it('disabling an account or changing its role ends its sessions', async () => {
    const viewer = await server.as('viewer');
    expect((await viewer({ url: '/api/v1/devices' })).statusCode).toBe(200);
    const admin = await server.as('admin');
    const patched = await admin({
      method: 'PATCH',
      url: '/api/v1/users/viewer-of-the-test',
      payload: { disabled: true },
    });
    expect(patched.json()).toMatchObject({ disabled: true });
    expect((await viewer({ url: '/api/v1/devices' })).statusCode).toBe(401);
  });

  it('API keys act with their role until revoked; a kiosk only reads', async () => {
    const kiosk = await server.withKey('kiosk');
    expect((await kiosk.inject({ url: '/api/v1/devices' })).statusCode).toBe(200);
    const write = await kiosk.inject({ method: 'POST', url: '/api/v1/devices', payload: {} });
    expect(write.statusCode).toBe(403);
    const admin = await server.as('admin');
    const keys = (await admin({ url: '/api/v1/api-keys' })).json();
    expect(JSON.stringify(keys)).not.toContain('csc_');
    expect((await admin({ method: 'DELETE', url: `/api/v1/api-keys/${kiosk.id}` })).json().revokedAt).not.toBeNull();
    expect((await kiosk.inject({ url: '/api/v1/devices' })).statusCode).toBe(401);
  });

  it('the audit log tells who did what, from where; only admins read it', async () => {
    const operator = await server.as('operator');
    await operator({
      method: 'POST',
      url: '/api/v1/devices',
      payload: { devEui: '0303030303030303', model: 'milesight-iot/em310-udl' },
    });
    expect((await operator({ url: '/api/v1/audit' })).statusCode).toBe(403);
    const entries = (await (await server.as('admin'))({ url: '/api/v1/audit?actor=operator-of-the-test' })).json();
    expect(entries[0]).toMatchObject({
      actor: 'operator-of-the-test',
      role: 'operator',
      action: 'POST /api/v1/devices',
      ip: '127.0.0.1',
      status: 201,
    });
  });

  it('published passwords are refused outside the demo', async () => {
    const spec = { username: 'boss', password: DEMO_PASSWORDS.admin, role: 'admin' as const };
    await expect(ensureAccount(ingest.db, spec, { demo: false })).rejects.toThrow(ConfigError);
    const admin = await server.as('admin');
    const res = await admin({
      method: 'POST',
      url: '/api/v1/users',
      payload: { username: 'boss', password: 'changeme', role: 'admin' },
    });
    expect(res.statusCode).toBe(400);
  });

  it('sign-in attempts are limited per client address', async () => {
    const strict = await testServer({ rateLimits: { api: 10_000, signIn: 3, commands: 10_000 } });
    const attempt = () => login('x', 'y', strict.app);
    const statuses = [];
    for (let i = 0; i < 4; i++) statuses.push((await attempt()).statusCode);
    expect(statuses).toEqual([401, 401, 401, 429]);
    await strict.close();
  });

  it('unknown properties get a 400 that names them', async () => {
    const operator = await server.as('operator');
    const res = await operator({
      method: 'POST',
      url: '/api/v1/devices',
      payload: { devEui: '0404040404040404', model: 'milesight-iot/em310-udl', colour: 'red' },
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().message).toMatch(/colour/);
  });

  it('a server outside the demo needs its own token key', () => {
    expect(() => jwtSecret({ jwtSecret: undefined, dataDir: '/nonexistent' }, { embedded: false })).toThrow(
      ConfigError,
    );
    expect(() => jwtSecret({ jwtSecret: 'short', dataDir: '/nonexistent' }, { embedded: false })).toThrow(ConfigError);
  });
});
