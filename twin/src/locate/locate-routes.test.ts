import { pino } from 'pino';
import { afterAll, describe, expect, it } from 'vitest';
import { testServer } from '../../test/test-server.ts';
import { ensureAccount } from '../access/accounts.ts';
import { objectNumber } from '../contract/object-types.ts';
import { upsertDistricts } from '../objects/districts-table.ts';
import type { CityObjectRecord } from '../objects/object-record.ts';
import { upsertObjects } from '../objects/objects-table.ts';
import { seedReferenceData } from '../objects/reference-data.ts';
import { buildServer } from '../server/app.ts';

const SECRET = 'a-test-secret-a-test-secret-a-test-secret';

/** A 20 x 20 grid of poles and bins in district 03, 50 m apart, south-west corner at (47.84, 35.14). */
const M_PER_DEG = (6_371_000 * Math.PI) / 180;
const COS = Math.cos((47.84 * Math.PI) / 180);
const grid: CityObjectRecord[] = Array.from({ length: 400 }, (_, i) => {
  const type = i % 4 === 0 ? 'bin' : 'pole';
  return {
    number: objectNumber(type, '03', i + 1),
    type,
    lat: 47.84 + (Math.floor(i / 20) * 50) / M_PER_DEG,
    lon: 35.14 + ((i % 20) * 50) / (M_PER_DEG * COS),
    district: '03',
    address: null,
    ownerUtility: null,
    attributes: {},
  };
});
const at = (i: number) => grid[i] as CityObjectRecord;

describe('locate and object queries over HTTP', async () => {
  // The server is built on a database that already holds the objects, as at a restart.
  const base = await testServer();
  const { db } = base.ingest;
  await seedReferenceData(db);
  await upsertDistricts(db, [
    {
      code: '03',
      name: 'Заводський',
      nameEn: 'Zavodskyi',
      boundary: {
        type: 'Polygon',
        coordinates: [
          [
            [35, 47.8],
            [35.3, 47.8],
            [35.3, 47.9],
            [35, 47.9],
            [35, 47.8],
          ],
        ],
      },
    },
  ]);
  await upsertObjects(db, grid);
  const app = await buildServer({
    logger: pino({ level: 'silent' }),
    ingest: base.ingest,
    auth: { jwtSecret: SECRET, tokenTtlSeconds: 3600 },
    rateLimits: { api: 10_000, locate: 3 },
  });
  afterAll(async () => {
    await app.close();
    await base.close();
  });
  await ensureAccount(
    db,
    { username: 'viewer-b', password: 'a password for the viewer', role: 'viewer' },
    { demo: true },
  );
  const login = await app.inject({
    method: 'POST',
    url: '/api/v1/auth/login',
    payload: { username: 'viewer-b', password: 'a password for the viewer' },
  });
  const viewer = { authorization: `Bearer ${login.json().token}` };
  const query = (q: string) => app.inject({ method: 'GET', url: `/api/v1/objects?${q}`, headers: viewer });

  it('locates a caller, reports the unknown and the outlier; 404 when nothing is known; 429 past the limit', async () => {
    // Objects 0, 1, 20, 21 are a 50 m square; 399 is a kilometre and more away.
    const numbers = [
      at(0).number,
      at(1).number.toLowerCase(),
      at(20).number,
      at(21).number,
      at(399).number,
      'ЛК-03-77777',
    ];
    const res = await app.inject({ method: 'POST', url: '/api/v1/locate', payload: { numbers } });
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.used).toEqual([at(0).number, at(1).number, at(20).number, at(21).number]);
    expect(body.ignored).toEqual([
      { number: 'ЛК-03-77777', reason: 'unknown' },
      { number: at(399).number, reason: 'outlier' },
    ]);
    expect(body.lat).toBeCloseTo(47.84 + 25 / M_PER_DEG, 6);
    expect(body.lon).toBeCloseTo(35.14 + 25 / (M_PER_DEG * COS), 6);
    expect(body.accuracyM).toBe(36);

    const none = await app.inject({ method: 'POST', url: '/api/v1/locate', payload: { numbers: ['ЛК-03-77777'] } });
    expect(none.statusCode).toBe(404);
    expect(none.json()).toMatchObject({ error: 'unknown_object', message: expect.stringContaining('ЛК-03-77777') });

    const ok = await app.inject({ method: 'POST', url: '/api/v1/locate', payload: { numbers: [at(5).number] } });
    expect(ok.json().lat).toBeCloseTo(at(5).lat, 6);
    expect(ok.json().lon).toBeCloseTo(at(5).lon, 6);
    expect(ok.json().accuracyM).toBe(30);
    const limited = await app.inject({ method: 'POST', url: '/api/v1/locate', payload: { numbers: [at(5).number] } });
    expect(limited.statusCode).toBe(429);
    expect(limited.json().error).toBe('rate_limited');
    // Other families count on their own.
    expect((await query('type=bin&limit=1')).statusCode).toBe(200);
    // A query, not a change: no audit row per call of a public endpoint.
    const audited = await db.query("SELECT count(*)::int AS n FROM audit_log WHERE action = 'POST /api/v1/locate'");
    expect(audited.rows[0]).toEqual({ n: 0 });
  });

  it('refuses a malformed locate request with 400 (before the rate limit counts against it)', async () => {
    const locateServer = await buildServer({
      logger: pino({ level: 'silent' }),
      ingest: base.ingest,
      auth: { jwtSecret: SECRET, tokenTtlSeconds: 3600 },
    });
    for (const payload of [
      {},
      { numbers: [] },
      { numbers: Array.from({ length: 11 }, (_, i) => at(i).number) },
      { numbers: ['x'.repeat(33)] },
      { numbers: [''] },
      { numbers: [{}] },
      { numbers: [at(0).number], extra: true },
    ]) {
      const res = await locateServer.inject({ method: 'POST', url: '/api/v1/locate', payload });
      expect(res.statusCode, JSON.stringify(payload)).toBe(400);
      expect(res.json().error).toBe('bad_request');
    }
    await locateServer.close();
  });

  it('answers objects near a point, nearest first, and the k nearest of a type', async () => {
    const near = (await query(`near=${at(0).lat},${at(0).lon}&radius=75`)).json();
    expect(near.objects.map((o: CityObjectRecord) => o.number).sort()).toEqual(
      [at(0), at(1), at(20), at(21)].map((o) => o.number).sort(),
    );
    expect(near.objects[0]).toEqual({ ...at(0), distanceM: 0 });
    expect(near.objects[1].distanceM).toBeCloseTo(50, 0);
    expect(near.objects[3].distanceM).toBeCloseTo(70.7, 0);
    expect(near.truncated).toBe(false);

    const bins = (await query(`near=${at(0).lat},${at(0).lon}&k=3&type=bin`)).json();
    expect(bins.objects.map((o: CityObjectRecord) => o.number)).toEqual([at(0), at(20), at(40)].map((o) => o.number));
    const within = (await query(`near=${at(0).lat},${at(0).lon}&k=3&type=bin&radius=75`)).json();
    expect(within.objects).toHaveLength(2);

    const limited = (await query(`near=${at(0).lat},${at(0).lon}&radius=1000&limit=5`)).json();
    expect(limited.objects).toHaveLength(5);
    expect(limited.truncated).toBe(true);
  });

  it('answers objects in a box, in a district, of a type', async () => {
    const box = (await query(`bbox=35.1399,47.8399,${at(1).lon + 1e-7},${at(20).lat + 1e-7}`)).json();
    expect(box.objects.map((o: CityObjectRecord) => o.number).sort()).toEqual(
      [at(0), at(1), at(20), at(21)].map((o) => o.number).sort(),
    );
    const district = (await query('district=03&type=bin&limit=1000')).json();
    expect(district.objects).toHaveLength(100);
    expect(district.truncated).toBe(false);
    expect((await query('district=04')).json()).toEqual({ objects: [], truncated: false });
    expect((await query('limit=10')).json().truncated).toBe(true);
  });

  it.each([
    ['bbox=35.2,47.8,35.1,47.9', /west is east of east/],
    ['bbox=35.1,47.9,35.2,47.8', /south is north of north/],
    ['bbox=35.1,-91,35.2,47.8', /latitude -91/],
    ['bbox=181,47.8,35.2,47.9', /longitude 181/],
    ['bbox=a,b,c,d', /bbox/],
    ['bbox=35.1,47.8,35.2', /bbox/],
    ['near=91,35&radius=10', /latitude 91/],
    ['near=47.8,-181&k=1', /longitude -181/],
    ['near=47.8', /near/],
    ['near=47.8,35.1', /needs `radius`/],
    ['near=47.8,35.1&radius=50001', /radius/],
    ['near=47.8,35.1&radius=0', /radius/],
    ['near=47.8,35.1&radius=-5', /radius/],
    ['near=47.8,35.1&k=0', /k/],
    ['near=47.8,35.1&k=101', /k/],
    ['near=47.8,35.1&radius=10&bbox=35.1,47.8,35.2,47.9', /not both/],
    ['radius=100', /need `near/],
    ['k=5', /need `near/],
    ['limit=1001', /limit/],
    ['limit=0', /limit/],
    ['type=Pole', /type/],
    [`district=${'x'.repeat(17)}`, /district/],
    ['colour=red', /colour|additional/],
  ])('GET /objects?%s: 400', async (q, message) => {
    const res = await query(q);
    expect(res.statusCode).toBe(400);
    expect(res.json().error).toBe('bad_request');
    expect(res.json().message).toMatch(message);
  });

  it('is for staff: 401 without a token', async () => {
    expect((await app.inject({ method: 'GET', url: '/api/v1/objects?type=bin' })).statusCode).toBe(401);
  });
});
