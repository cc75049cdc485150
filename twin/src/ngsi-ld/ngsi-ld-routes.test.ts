import { EventEmitter } from 'node:events';
import type { Reading } from '@city/ingest';
import { afterAll, describe, expect, it } from 'vitest';
import { districtFeature, testCity } from '../../test/city-fixture.ts';
import { testServer } from '../../test/test-server.ts';
import { NGSI_LD_CORE_CONTEXT } from '../contract/ngsi-ld.ts';
import { inProcessReadings } from '../live/readings-source.ts';
import { objectFeature } from '../objects/export/export-geojson.ts';
import type { CityObjectRecord } from '../objects/object-record.ts';
import { entityId } from './entity-id.ts';
import { streetlight } from './streetlight.ts';
import { wasteContainer } from './waste-container.ts';

const JSON_LD = 'application/ld+json';

describe('the NGSI-LD API', async () => {
  // Committed readings, as ingest's pipeline in this process would emit them.
  const pipeline = new EventEmitter<{ readings: [Reading[]] }>();
  const server = await testServer({ readings: inProcessReadings(pipeline) });
  afterAll(() => server.close());
  const operator = await server.as('operator');
  const viewer = await server.as('viewer');

  const city = testCity();
  const [west] = city.districts;
  const object = (prefix: string, i: number, type: string, attributes: CityObjectRecord['attributes'] = {}) => {
    const [lon, lat] = city.at(0.1 * i, 0.3);
    return {
      number: city.number(prefix, i),
      type,
      lon,
      lat,
      district: west.code,
      address: `вул. Тестова, ${i}`,
      ownerUtility: null,
      attributes,
    } satisfies CityObjectRecord;
  };
  const bins = [1, 2, 3, 4, 5].map((i) => object('СМ', i, 'bin', { volumeL: 1100, fraction: 'glass' }));
  const poles = [1, 2, 3].map((i) => object('ОП', i, 'pole', { lampPowerW: 90 }));
  const station = object('ПС', 1, 'air_station');
  const waterMeter = object('ЛЧ', 1, 'meter_point', { medium: 'water' });
  const heatMeter = object('ЛЧ', 2, 'meter_point', { medium: 'heat' });
  const [bin1, , bin3] = bins as [CityObjectRecord, CityObjectRecord, CityObjectRecord];
  const [pole1, pole2, pole3] = poles as [CityObjectRecord, CityObjectRecord, CityObjectRecord];

  const imported = await operator({
    method: 'POST',
    url: '/api/v1/objects/import',
    payload: {
      type: 'FeatureCollection',
      features: [
        ...city.districts.map(districtFeature),
        ...[...bins, ...poles, station, waterMeter, heatMeter].map(objectFeature),
      ],
    },
  });
  if (imported.statusCode !== 200) throw new Error(`import failed: ${imported.body}`);

  const now = Date.now();
  const at = (secondsAgo: number) => new Date(now - secondsAgo * 1000).toISOString();
  const reading = (o: CityObjectRecord, metric: string, value: number, secondsAgo = 60): Reading => ({
    timeMs: now - secondsAgo * 1000,
    devEui: `d${city.run}000000001`,
    objectNumber: o.number,
    metric,
    value,
  });
  pipeline.emit('readings', [
    reading(bin1, 'fill_level', 92),
    reading(bin1, 'tilt', 0),
    reading(pole1, 'lamp_on', 1, 30),
    reading(pole1, 'lamp_failure', 0, 30),
    reading(pole3, 'lamp_failure', 1, 30),
    reading(station, 'pm25', 8),
    reading(station, 'humidity', 40),
    reading(waterMeter, 'volume', 12.5),
    reading(heatMeter, 'volume', 300),
  ]);

  const get = (url: string, accept?: string) => viewer({ url: `/ngsi-ld/v1${url}`, headers: accept ? { accept } : {} });
  const entityUrl = (id: string) => `/entities/${encodeURIComponent(id)}`;

  it('lists the entities of a type in pages, as JSON with the @context in a Link header', async () => {
    const all = await get('/entities?type=WasteContainer&limit=100');
    expect(all.statusCode).toBe(200);
    expect(all.headers['content-type']).toMatch(/^application\/json/);
    expect(all.headers.link).toBe(
      `<${wasteContainer.context}>; rel="http://www.w3.org/ns/json-ld#context"; type="application/ld+json"`,
    );
    const ids = all.json().map((e: { id: string }) => e.id);
    expect(ids.sort()).toEqual(bins.map((b) => entityId('WasteContainer', b.number)).sort());

    const page = await get('/entities?type=WasteContainer&limit=2&offset=1&count=true');
    expect(page.headers['ngsild-results-count']).toBe('5');
    expect(page.json().map((e: { id: string }) => e.id)).toEqual(
      all
        .json()
        .slice(1, 3)
        .map((e: { id: string }) => e.id),
    );

    const first = all.json().find((e: { id: string }) => e.id === entityId('WasteContainer', bin1.number));
    expect(first).toEqual({
      id: entityId('WasteContainer', bin1.number),
      type: 'WasteContainer',
      name: { type: 'Property', value: bin1.number },
      location: { type: 'GeoProperty', value: { type: 'Point', coordinates: [bin1.lon, bin1.lat] } },
      address: { type: 'Property', value: { streetAddress: bin1.address, district: west.code } },
      fillingLevel: { type: 'Property', value: 0.92, observedAt: at(60) },
      status: { type: 'Property', value: 'ok', observedAt: at(60) },
      binCapacity: { type: 'Property', value: 1100, unitCode: 'LTR' },
      storedWasteKind: { type: 'Property', value: 'glass' },
      responsible: { type: 'Property', value: 'vidkhody' },
    });
    // Only the count: no entities.
    const counted = await get('/entities?type=WasteContainer&limit=0&count=true');
    expect(counted.json()).toEqual([]);
    expect(counted.headers['ngsild-results-count']).toBe('5');
  });

  it('answers JSON-LD with the @context in each entity when asked for it, 406 for what it cannot give', async () => {
    const res = await get('/entities?type=WasteContainer&limit=2', JSON_LD);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/^application\/ld\+json/);
    expect(res.headers.link).toBeUndefined();
    for (const entity of res.json()) expect(entity['@context']).toEqual([wasteContainer.context, NGSI_LD_CORE_CONTEXT]);

    const refused = await get('/entities?type=WasteContainer', 'text/html');
    expect(refused.statusCode).toBe(406);
    expect(refused.json()).toMatchObject({ type: 'https://uri.etsi.org/ngsi-ld/errors/NotAcceptable', status: 406 });
  });

  it('retrieves one entity by id, the id encoded once more in the path or as written', async () => {
    const id = entityId('WasteContainer', bin1.number);
    const encoded = await get(entityUrl(id), JSON_LD);
    expect(encoded.statusCode).toBe(200);
    expect(encoded.json()).toMatchObject({
      id,
      type: 'WasteContainer',
      fillingLevel: { value: 0.92 },
      '@context': [wasteContainer.context, NGSI_LD_CORE_CONTEXT],
    });
    const asWritten = await get(`/entities/${id}`);
    expect(asWritten.statusCode).toBe(200);
    expect(asWritten.json().id).toBe(id);
    expect(asWritten.headers.link).toContain(wasteContainer.context);

    const keyValues = await get(`${entityUrl(id)}?options=keyValues`);
    expect(keyValues.json()).toMatchObject({
      id,
      type: 'WasteContainer',
      name: bin1.number,
      fillingLevel: 0.92,
      location: { type: 'Point', coordinates: [bin1.lon, bin1.lat] },
    });
  });

  it('answers ResourceNotFound for an id no entity has, BadRequestData for one that is no URI', async () => {
    for (const id of [
      entityId('WasteContainer', city.number('СМ', 99)),
      // A bin is no Streetlight, and a pole without a reporting controller is none either.
      entityId('Streetlight', bin1.number),
      entityId('Streetlight', pole2.number),
      entityId('WaterConsumptionObserved', heatMeter.number),
      entityId('Vehicle', bin1.number),
    ]) {
      const res = await get(entityUrl(id));
      expect(res.statusCode, id).toBe(404);
      expect(res.headers['content-type']).toMatch(/^application\/json/);
      expect(res.json()).toEqual({
        type: 'https://uri.etsi.org/ngsi-ld/errors/ResourceNotFound',
        title: expect.any(String),
        status: 404,
        detail: expect.stringContaining('no entity'),
      });
    }
    const notUri = await get(entityUrl(bin1.number));
    expect(notUri.statusCode).toBe(400);
    expect(notUri.json().type).toBe('https://uri.etsi.org/ngsi-ld/errors/BadRequestData');
  });

  it('refuses an unknown type, a bad limit and unknown parameters with BadRequestData', async () => {
    for (const query of [
      'type=Vehicle',
      'type=WasteContainer,Streetlight',
      '',
      'type=WasteContainer&limit=1001',
      'type=WasteContainer&limit=abc',
      'type=WasteContainer&limit=-1',
      'type=WasteContainer&limit=0',
      'type=WasteContainer&q=fillingLevel>0.5',
      'type=WasteContainer&options=sysAttrs',
      'type=WasteContainer&id=not-a-uri',
    ]) {
      const res = await get(`/entities?${query}`);
      expect(res.statusCode, query).toBe(400);
      expect(res.json(), query).toMatchObject({
        type: 'https://uri.etsi.org/ngsi-ld/errors/BadRequestData',
        status: 400,
        detail: expect.any(String),
      });
    }
    expect((await get('/entities?type=Vehicle')).json().detail).toContain('WasteContainer');
    expect((await get('/types')).json()).toMatchObject({
      status: 404,
      type: expect.stringContaining('ResourceNotFound'),
    });
  });

  it('filters a type by ids, in their order, each once', async () => {
    const ids = [bin3, bin1, pole1, bin3].map((o) => entityId('WasteContainer', o.number));
    const res = await get(`/entities?type=WasteContainer&count=true&id=${encodeURIComponent(ids.join(','))}`);
    expect(res.json().map((e: { id: string }) => e.id)).toEqual([ids[0], ids[1]]);
    expect(res.headers['ngsild-results-count']).toBe('2');
  });

  it('serves poles whose lamp controller reports as Streetlights, water meters as WaterConsumptionObserved', async () => {
    const lights = await get('/entities?type=Streetlight&count=true');
    expect(lights.headers.link).toContain(streetlight.context);
    expect(lights.headers['ngsild-results-count']).toBe('2');
    const byId = new Map(lights.json().map((e: { id: string }) => [e.id, e]));
    expect(byId.get(entityId('Streetlight', pole1.number))).toMatchObject({
      status: { value: 'ok' },
      powerState: { value: 'on', observedAt: at(30) },
      powerRating: { value: 90, unitCode: 'WTT' },
    });
    expect(byId.get(entityId('Streetlight', pole3.number))).toMatchObject({ status: { value: 'defectiveLamp' } });

    const water = (await get('/entities?type=WaterConsumptionObserved&options=keyValues')).json();
    expect(water).toEqual([
      expect.objectContaining({ id: entityId('WaterConsumptionObserved', waterMeter.number), waterConsumption: 12.5 }),
    ]);
    const air = (await get('/entities?type=AirQualityObserved&options=keyValues')).json();
    expect(air).toEqual([
      expect.objectContaining({ pm25: 8, relativeHumidity: 0.4, airQualityLevel: 'fair', dateObserved: at(60) }),
    ]);
  });

  it('is for staff and API keys: 401 without a token, as a problem', async () => {
    const anonymous = await server.app.inject({ url: '/ngsi-ld/v1/entities?type=WasteContainer' });
    expect(anonymous.statusCode).toBe(401);
    expect(anonymous.json()).toEqual({
      type: 'about:blank',
      title: 'Unauthorized',
      status: 401,
      detail: expect.any(String),
      error: 'unauthorized',
    });
    const integrator = await server.withKey('viewer');
    const res = await integrator.inject({ url: '/ngsi-ld/v1/entities?type=AirQualityObserved' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toHaveLength(1);
  });

  it('is on the OpenAPI page', async () => {
    const doc = (await server.app.inject({ url: '/docs/json' })).json();
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining(['/ngsi-ld/v1/entities', '/ngsi-ld/v1/entities/{entityId}']),
    );
  });
});

describe('the NGSI-LD API under load', async () => {
  const server = await testServer({ rateLimits: { api: 2 } });
  afterAll(() => server.close());
  const viewer = await server.as('viewer');

  it('answers 429 past the rate limit, as a problem', async () => {
    const get = () => viewer({ url: '/ngsi-ld/v1/entities?type=WasteContainer' });
    expect((await get()).statusCode).toBe(200);
    expect((await get()).statusCode).toBe(200);
    const refused = await get();
    expect(refused.statusCode).toBe(429);
    expect(refused.json()).toMatchObject({
      type: 'about:blank',
      title: 'Too Many Requests',
      status: 429,
      error: 'rate_limited',
    });
  });
});
