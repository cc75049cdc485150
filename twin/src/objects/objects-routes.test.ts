import { installErrorHandling } from '@city/ingest';
import Fastify from 'fastify';
import { afterAll, describe, expect, it } from 'vitest';
import { districtFeature, manyObjects, pointFeature, testCity } from '../../test/city-fixture.ts';
import { testServer } from '../../test/test-server.ts';
import { objectFeature } from './export/export-geojson.ts';
import type { CityObjectRecord } from './object-record.ts';
import { objectsRoutes } from './objects-routes.ts';

describe('the objects routes', async () => {
  const server = await testServer();
  const { app } = server;
  const operator = await server.as('operator');
  const viewer = await server.as('viewer');
  afterAll(() => server.close());

  const city = testCity();
  const [west] = city.districts;
  const painted = city.number('ОП', 417);
  const objects: CityObjectRecord[] = [
    {
      number: painted,
      type: 'pole',
      lat: city.at(0.5, 0.5)[1],
      lon: city.at(0.5, 0.5)[0],
      district: west.code,
      address: 'вул. Соборна, 1',
      ownerUtility: null,
      attributes: { lampPowerW: 90 },
    },
    ...manyObjects(city, 50),
  ];
  const geojson = {
    type: 'FeatureCollection',
    features: [...city.districts.map(districtFeature), ...objects.map(objectFeature)],
  };
  const post = (payload: string | object, contentType = 'application/json', query = '', as = operator) =>
    as({
      method: 'POST',
      url: `/api/v1/objects/import${query}`,
      headers: { 'content-type': contentType },
      payload: typeof payload === 'string' ? payload : JSON.stringify(payload),
    });

  it('imports GeoJSON as an operator; a viewer may not, nor anyone unsigned', async () => {
    expect((await post(geojson, 'application/json', '', viewer)).statusCode).toBe(403);
    const anonymous = await app.inject({ method: 'POST', url: '/api/v1/objects/import', payload: geojson });
    expect(anonymous.statusCode).toBe(401);
    const res = await post(geojson, 'application/geo+json');
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ format: 'geojson', written: true, created: 51, districts: 2, rejectedCount: 0 });
  });

  it('finds an object by a look-alike spelling: the public view for anyone, more for staff', async () => {
    const typed = encodeURIComponent(painted.replace('ОП', 'op').replaceAll('-', ''));
    const anonymous = await app.inject({ url: `/api/v1/objects/${typed}` });
    expect(anonymous.statusCode).toBe(200);
    expect(anonymous.json()).toEqual({
      number: painted,
      type: 'pole',
      typeLabel: { uk: 'опора освітлення', en: 'lighting pole' },
      address: 'вул. Соборна, 1',
      district: { code: west.code, name: west.name, nameEn: west.nameEn },
      lat: objects[0]?.lat,
      lon: objects[0]?.lon,
    });
    const staff = (await viewer({ url: `/api/v1/objects/${typed}` })).json();
    expect(staff).toMatchObject({
      number: painted,
      ownerUtility: { id: 'misksvitlo', name: expect.any(String) },
      attributes: { lampPowerW: 90 },
    });
    const kiosk = await server.withKey('kiosk');
    expect((await kiosk.inject({ url: `/api/v1/objects/${typed}` })).json()).toHaveProperty('attributes');
    // A bad token is no token: the public view, not an error.
    const forged = await app.inject({ url: `/api/v1/objects/${typed}`, headers: { authorization: 'Bearer nonsense' } });
    expect(Object.keys(forged.json())).not.toContain('attributes');

    const unknown = await app.inject({ url: `/api/v1/objects/${encodeURIComponent('ОП-99-99999')}` });
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json().error).toBe('unknown_object');
  });

  it('all or nothing: 422 with the report, nothing written; keep-valid writes the rest', async () => {
    const bad = {
      type: 'FeatureCollection',
      features: [
        pointFeature(city.at(0.2, 0.2), { number: city.number('ДР', 1), type: 'tree', species: 'клен' }),
        pointFeature(city.at(0.2, 0.2), { number: city.number('ДР', 2), type: 'tree', heightM: -3 }),
      ],
    };
    const refused = await post(bad);
    expect(refused.statusCode).toBe(422);
    expect(refused.json()).toMatchObject({
      error: 'import_rejected',
      report: {
        written: false,
        accepted: 1,
        rejected: [
          { feature: 1, number: city.number('ДР', 2), reasons: [expect.stringMatching(/^heightM: -3 is below 0 m/)] },
        ],
      },
    });
    expect((await app.inject({ url: `/api/v1/objects/${encodeURIComponent(city.number('ДР', 1))}` })).statusCode).toBe(
      404,
    );
    const kept = await post(bad, 'application/json', '?mode=keep-valid');
    expect(kept.statusCode).toBe(200);
    expect(kept.json()).toMatchObject({ written: true, created: 1, rejectedCount: 1 });
    expect((await app.inject({ url: `/api/v1/objects/${encodeURIComponent(city.number('ДР', 1))}` })).statusCode).toBe(
      200,
    );
  });

  it('imports CSV, and a row of bytes that are not UTF-8 is rejected, not the file', async () => {
    const [lon, lat] = city.at(0.3, 0.3);
    const csv = Buffer.concat([
      Buffer.from(`number,type,lat,lon,address,capacity\n${city.number('ЗП', 1)},shelter,${lat},${lon},Зупинка,20\n`),
      Buffer.from(`${city.number('ЗП', 2)},shelter,${lat},${lon},Зуп`),
      Buffer.from([0xff, 0xfe]),
      Buffer.from(',20\n'),
    ]);
    const res = await operator({
      method: 'POST',
      url: '/api/v1/objects/import?mode=keep-valid',
      headers: { 'content-type': 'text/csv; charset=utf-8' },
      payload: csv,
    });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({
      format: 'csv',
      created: 1,
      rejected: [{ row: 3, reasons: [expect.stringMatching(/^address: is not valid UTF-8/)] }],
    });
  });

  it('answers bad bodies with 4xx and {error, message}, never 500', async () => {
    const cases: [string | object, string, number][] = [
      ['{"type": "FeatureCollection", "features": [', 'application/json', 400],
      [{ type: 'Feature', features: [] }, 'application/json', 400],
      [{ type: 'FeatureCollection' }, 'application/json', 400],
      [{ type: 'FeatureCollection', features: [null, 1, 'x', {}] }, 'application/json', 422],
      [
        {
          type: 'FeatureCollection',
          features: [pointFeature(city.at(0.5, 0.5), { number: 'a\u0000b', type: 'pole' })],
        },
        'application/json',
        400,
      ],
      ['{"type":"FeatureCollection","features":[],"__proto__":{"x":1}}', 'application/json', 400],
      ['number,type\nx,pole\n', 'text/csv', 400],
      ['number,type,lat,lon\n"x,pole,1,2\n', 'text/csv', 400],
      ['', 'text/csv', 400],
      ['number,type,lat,lon\n', 'text/plain', 415],
    ];
    for (const [payload, contentType, status] of cases) {
      const res = await post(payload, contentType);
      expect({ payload, status: res.statusCode }).toEqual({ payload, status });
      expect(typeof res.json().error).toBe('string');
      expect(typeof res.json().message).toBe('string');
    }
    expect((await post(geojson, 'application/json', '?mode=sometimes')).statusCode).toBe(400);
    // Past fastify's longest parameter (100 characters), before any schema.
    expect((await app.inject({ url: `/api/v1/objects/${'x'.repeat(101)}` })).statusCode).toBe(414);
  });

  it('takes a body above the server-wide 1 MB limit', async () => {
    const big = manyObjects(testCity(), 8_000);
    const body = JSON.stringify({ type: 'FeatureCollection', features: big.map(objectFeature) });
    expect(body.length).toBeGreaterThan(2 ** 20);
    const res = await post(body, 'application/json', '?mode=keep-valid');
    // The second test city lies elsewhere with no districts of its own in the file: placed outside every district.
    expect(res.statusCode).toBe(200);
    expect(res.json().accepted + res.json().rejectedCount).toBe(8_000);
  });

  it.each(['geojson', 'csv'])('exports %s to staff, and importing the export changes nothing', async (format) => {
    expect((await app.inject({ url: `/api/v1/objects/export?format=${format}` })).statusCode).toBe(401);
    const res = await viewer({ url: `/api/v1/objects/export?format=${format}&district=${west.code}` });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(format === 'csv' ? /^text\/csv/ : /^application\/geo\+json/);
    expect(res.headers['content-disposition']).toContain(`objects-${west.code}.${format}`);
    const again = await post(res.body, format === 'csv' ? 'text/csv' : 'application/json');
    expect(again.statusCode).toBe(200);
    expect(again.json()).toMatchObject({ created: 0, updated: 0, rejectedCount: 0 });
    expect(again.json().unchanged).toBeGreaterThan(20);
    const pole = await viewer({ url: `/api/v1/objects/export?format=${format}&type=pole&district=${west.code}` });
    expect(pole.body).toContain(painted);
    expect(pole.body).not.toContain(city.number('СМ', 2));
  });
});

describe('the staff view is where other parts add what they know', async () => {
  const server = await testServer();
  afterAll(() => server.close());
  const city = testCity();
  const object: CityObjectRecord = {
    number: city.number('СМ', 1),
    type: 'bin',
    lat: city.at(0.5, 0.5)[1],
    lon: city.at(0.5, 0.5)[0],
    district: null,
    address: null,
    ownerUtility: 'vidkhody',
    attributes: { depthMm: 1200 },
  };
  const seen: string[] = [];
  const app = Fastify();
  installErrorHandling(app);
  app.addHook('onRequest', async (request) => {
    if (request.headers['x-staff'])
      request.principal = { kind: 'user', name: 'd', role: 'dispatcher', utility: 'vidkhody' };
  });
  await app.register(objectsRoutes, {
    db: server.ingest.db,
    objects: { get: () => object, upsert: () => {}, remove: () => {}, setDistricts: () => {} },
    enrich: [
      (o, principal) => {
        seen.push(`${o.number} for ${principal.name}`);
        return { devices: [{ devEui: '0102030405060708' }] };
      },
      async () => ({ incidents: [] }),
    ],
  });
  afterAll(() => app.close());

  it('runs the enrichers for staff only, and their fields reach the answer', async () => {
    const publicView = (await app.inject({ url: '/objects/x' })).json();
    expect(publicView).not.toHaveProperty('devices');
    expect(seen).toEqual([]);
    const staff = (await app.inject({ url: '/objects/x', headers: { 'x-staff': '1' } })).json();
    expect(staff).toMatchObject({
      devices: [{ devEui: '0102030405060708' }],
      incidents: [],
      attributes: { depthMm: 1200 },
    });
    expect(seen).toEqual([`${object.number} for d`]);
  });
});
