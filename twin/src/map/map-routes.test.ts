import { gunzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { districtFeature, manyObjects, testCity } from '../../test/city-fixture.ts';
import { testServer } from '../../test/test-server.ts';
import type { MapBase, MapObjects, MapState } from '../contract/map.ts';
import { objectFeature } from '../objects/export/export-geojson.ts';
import { etagMatches } from './map-routes.ts';

describe('the map routes', async () => {
  const server = await testServer();
  const { app } = server;
  const operator = await server.as('operator');
  const viewer = await server.as('viewer');
  afterAll(() => server.close());

  const city = testCity();
  const [west, east] = city.districts;
  const objects = manyObjects(city, 60);
  const street = (name: string, coordinates: unknown, district?: string) => ({
    type: 'Feature',
    geometry: { type: 'LineString', coordinates },
    properties: { kind: 'street', name, ...(district ? { district } : {}) },
  });
  const main = street('вул. Соборна', [city.at(0.1, 0.1), city.at(0.5, 0.2), city.at(0.9, 0.3)], west?.code);
  const side = street('пров. Тихий', [city.at(0.2, 0.8), city.at(0.3, 0.9)]);
  const file = (features: unknown[]) => ({
    type: 'FeatureCollection',
    features: [...city.districts.map(districtFeature), ...features],
  });
  const importFile = (body: object, query = '') =>
    operator({
      method: 'POST',
      url: `/api/v1/objects/import${query}`,
      headers: { 'content-type': 'application/json' },
      payload: JSON.stringify(body),
    });
  const streetsOf = (base: MapBase) =>
    base.features.filter((f) => f.properties.kind === 'street').map((f) => f.properties.name);

  it('stores the streets of an import and serves them with the districts as the base map, to anyone', async () => {
    const imported = await importFile(file([main, side, ...objects.map(objectFeature)]));
    expect(imported.json()).toMatchObject({ written: true, created: 60, ignored: 2, rejectedCount: 0 });
    const res = await app.inject({ url: '/api/v1/map/base' });
    expect(res.statusCode).toBe(200);
    const base = res.json() as MapBase;
    const districts = base.features.filter((f) => f.properties.kind === 'district').map((f) => f.properties);
    expect(districts).toHaveLength(2);
    expect(districts).toEqual(
      expect.arrayContaining([
        { kind: 'district', code: west?.code, name: 'Західний', nameEn: 'West' },
        { kind: 'district', code: east?.code, name: 'Східний', nameEn: null },
      ]),
    );
    const stored = base.features.find((f) => f.properties.kind === 'street' && f.properties.name === 'вул. Соборна');
    expect(stored).toEqual({
      type: 'Feature',
      geometry: { type: 'LineString', coordinates: main.geometry.coordinates },
      properties: { kind: 'street', name: 'вул. Соборна', district: west?.code },
    });
    expect(res.headers['cache-control']).toBe('public, max-age=300');
    // The wall that has it asks with its ETag and gets no body.
    const again = await app.inject({ url: '/api/v1/map/base', headers: { 'if-none-match': `W/${res.headers.etag}` } });
    expect(again.statusCode).toBe(304);
    expect(again.body).toBe('');
  });

  it('rejects a street read as an attacker wrote it, and writes nothing of that file', async () => {
    const bad = [
      street('', 'not a line'),
      street('far', [city.at(0.1, 0.1), [200, 10]]),
      street('one point', [city.at(0.1, 0.1)]),
      street(
        'long',
        Array.from({ length: 5001 }, (_, i) => city.at(0.1, i / 10_000)),
      ),
      street('nowhere', [city.at(0.1, 0.1), city.at(0.2, 0.2)], 'no-such'),
      {
        type: 'Feature',
        geometry: { type: 'Point', coordinates: city.at(0.1, 0.1) },
        properties: { kind: 'street', name: 'x' },
      },
    ];
    const res = await importFile(file([street('вул. Нова', [city.at(0.1, 0.5), city.at(0.9, 0.5)]), ...bad]));
    expect(res.statusCode).toBe(422);
    const { report } = res.json();
    expect(report).toMatchObject({ written: false, rejectedCount: 6 });
    expect(report.rejected.map((r: { reasons: string[] }) => r.reasons[0])).toEqual([
      'geometry: coordinates must be a list of positions',
      'geometry: bad longitude 200',
      'geometry: a street has 2 to 5000 positions, not 1',
      'geometry: a street has 2 to 5000 positions, not 5001',
      'district: "no-such" is not a district of the registry or the file',
      'geometry: a street needs a LineString, not "Point"',
    ]);
    expect(streetsOf((await app.inject({ url: '/api/v1/map/base' })).json())).toEqual(['вул. Соборна', 'пров. Тихий']);
  });

  it('serves every object in columns, gzipped, to staff only, with an ETag that moves when an object does', async () => {
    expect((await app.inject({ url: '/api/v1/map/objects' })).statusCode).toBe(401);
    const res = await viewer({ url: '/api/v1/map/objects', headers: { 'accept-encoding': 'gzip' } });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-encoding']).toBe('gzip');
    const columns = JSON.parse(gunzipSync(res.rawPayload).toString()) as MapObjects;
    expect(columns.count).toBe(60);
    for (const column of [columns.type, columns.numbers, columns.lon, columns.lat, columns.district])
      expect(column).toHaveLength(60);
    const i = columns.numbers.indexOf(objects[7]?.number as string);
    expect(i).toBeGreaterThanOrEqual(0);
    expect(columns.types[columns.type[i] as number]).toBe(objects[7]?.type);
    // The import places each object in the district its position lies in.
    expect(city.districts.map((d) => d.code)).toContain(columns.districts[columns.district[i] as number]);
    expect(columns.lon[i]).toBeCloseTo(objects[7]?.lon as number, 5);
    expect(columns.lat[i]).toBeCloseTo(objects[7]?.lat as number, 5);

    const etag = res.headers.etag as string;
    expect((await viewer({ url: '/api/v1/map/objects', headers: { 'if-none-match': etag } })).statusCode).toBe(304);
    // An object moves: a new version, and the old ETag no longer matches.
    const moved = { ...objects[7], lat: (objects[7]?.lat as number) + 0.0001 };
    expect(
      (await importFile({ type: 'FeatureCollection', features: [objectFeature(moved as never)] })).json(),
    ).toMatchObject({
      written: true,
      updated: 1,
    });
    const after = await viewer({ url: '/api/v1/map/objects', headers: { 'if-none-match': etag } });
    expect(after.statusCode).toBe(200);
    expect(after.headers.etag).not.toBe(etag);
    const changed = after.json() as MapObjects;
    expect(changed.lat[changed.numbers.indexOf(moved.number as string)]).toBeCloseTo(moved.lat, 5);
  });

  it("serves the objects' state aligned with the columns' version", async () => {
    expect((await app.inject({ url: '/api/v1/map/state' })).statusCode).toBe(401);
    const columns = (await viewer({ url: '/api/v1/map/objects' })).json() as MapObjects;
    const res = await viewer({ url: '/api/v1/map/state' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['cache-control']).toBe('no-store');
    const state = res.json() as MapState;
    // No device reports in this city: nothing has a state yet.
    expect(state).toMatchObject({ objectsVersion: columns.version, index: [], health: [], fill: [], lamp: [] });
  });

  it('replacing the registry with a file without streets removes the streets', async () => {
    const res = await importFile(file(objects.map(objectFeature)), '?replace=true');
    expect(res.json()).toMatchObject({ written: true });
    expect(streetsOf((await app.inject({ url: '/api/v1/map/base' })).json())).toEqual([]);
  });
});

describe('If-None-Match', () => {
  it('matches the ETag in a list, weak or strong, and *; nothing else', () => {
    expect(etagMatches('"a", W/"b"', '"b"')).toBe(true);
    expect(etagMatches('*', '"b"')).toBe(true);
    expect(etagMatches('"a"', '"b"')).toBe(false);
    expect(etagMatches(undefined, '"b"')).toBe(false);
    expect(etagMatches(`${'"x",'.repeat(2000)}"b"`, '"b"')).toBe(false);
  });
});
