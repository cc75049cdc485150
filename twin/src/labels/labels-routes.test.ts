import { DeviceRegistry, type IngestApiBackend, migrate } from '@city/ingest';
import { pino } from 'pino';
import { Registry } from 'prom-client';
import { afterAll, describe, expect, it } from 'vitest';
import { manyObjects, testCity } from '../../test/city-fixture.ts';
import { ENGINES } from '../../test/engines.ts';
import { expectedModules, modulesOfPath } from '../../test/qr-modules.ts';
import type { Inject } from '../../test/test-server.ts';
import { xmlProblem } from '../../test/xml-well-formed.ts';
import { ensureAccount } from '../access/accounts.ts';
import { LABEL_LIMITS } from '../contract/labels.ts';
import { migrateTwin } from '../migrate.ts';
import { upsertDistricts } from '../objects/districts-table.ts';
import { upsertObjects } from '../objects/objects-table.ts';
import { seedReferenceData } from '../objects/reference-data.ts';
import { buildServer } from '../server/app.ts';
import { residentUrl } from './label-sheet.ts';

const PUBLIC_URL = 'https://city.example.org/twin';

describe.each(ENGINES)('QR labels over HTTP on %s', async (_engine, open) => {
  const db = await open();
  await migrate(db);
  await migrateTwin(db);
  await seedReferenceData(db);
  // A city of this run's own: 30 poles and bins in the west (a street of the run's own among
  // them), and more trees in the east than a request may print.
  const city = testCity();
  const [west, east] = city.districts;
  const street = `Соборна ${city.run}`;
  const westObjects = manyObjects(city, 30).map((o, i) => ({
    ...o,
    district: west.code,
    address: i % 3 === 0 ? `вул. ${street}, ${i}` : o.address,
  }));
  const trees = Array.from({ length: LABEL_LIMITS.labels + 1 }, (_, i) => ({
    ...(westObjects[0] as (typeof westObjects)[0]),
    number: city.number('ДР', i + 1),
    type: 'tree',
    district: east.code,
    address: null,
    attributes: {},
  }));
  await upsertDistricts(db, city.districts);
  await upsertObjects(db, [...westObjects, ...trees]);
  const ingest: IngestApiBackend = {
    db,
    registry: new DeviceRegistry(db),
    checks: {},
    metricRegistries: [new Registry()],
  };
  const app = await buildServer({
    logger: pino({ level: 'silent' }),
    ingest,
    auth: { jwtSecret: 'a-test-secret-a-test-secret-a-test-secret', tokenTtlSeconds: 3600 },
    rateLimits: { api: 10_000, signIn: 10_000 },
    publicUrl: PUBLIC_URL,
  });
  const username = `viewer-of-labels-${city.run}`;
  await ensureAccount(
    db,
    { username, password: 'a password for labels', role: 'viewer', utility: null },
    { demo: true },
  );
  const login = await app.inject({
    method: 'POST',
    url: '/api/v1/auth/login',
    payload: { username, password: 'a password for labels' },
  });
  const viewer: Inject = (opts) =>
    app.inject({ ...opts, headers: { authorization: `Bearer ${login.json().token}`, ...opts.headers } });
  afterAll(async () => {
    await app.close();
    await db.close();
  });

  const labels = (query: string) => viewer({ url: `/api/v1/objects/labels?${query}` });
  const hrefs = (doc: string) => [...doc.matchAll(/<a href="([^"]*)">/g)].map(([, h]) => h as string);

  it('serves a sheet as SVG: 24 labels a sheet, in number order, each QR opening its resident page', async () => {
    const sorted = westObjects.map((o) => o.number).sort();
    const first = await labels(`district=${west.code}&format=svg`);
    expect(first.statusCode).toBe(200);
    expect(first.headers['content-type']).toBe('image/svg+xml; charset=utf-8');
    expect(first.headers['x-label-count']).toBe('30');
    expect(first.headers['x-label-pages']).toBe('2');
    expect(xmlProblem(first.body)).toBeUndefined();
    expect(hrefs(first.body)).toEqual(sorted.slice(0, 24).map((n) => residentUrl(PUBLIC_URL, n)));
    expect(hrefs(first.body)[0]).toBe(`${PUBLIC_URL}/r/${encodeURIComponent(sorted[0] as string)}`);
    // What a phone reads: the symbol drawn is the one for that URL.
    const d = /<path [^>]*d="([^"]*)"/.exec(first.body)?.[1] as string;
    expect(modulesOfPath(d)).toEqual(
      expectedModules(`${PUBLIC_URL}/r/${encodeURIComponent(sorted[0] as string)}`).dark,
    );
    expect(first.body).toContain('>опора<');

    const second = await labels(`district=${west.code}&format=svg&page=2`);
    expect(hrefs(second.body)).toEqual(sorted.slice(24).map((n) => residentUrl(PUBLIC_URL, n)));
    const english = await labels(`district=${west.code}&format=svg&page=2&lang=en`);
    expect(english.body).toMatch(/>(lighting pole|waste bin)</);
  });

  it('serves every sheet in one HTML document to print, or one sheet of it', async () => {
    const res = await labels(`district=${west.code}`);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(res.body).toMatch(/^<!DOCTYPE html>/);
    expect(res.body).toContain('@page { size: A4; margin: 0 }');
    expect(res.body).not.toContain('<script');
    const sheets = [...res.body.matchAll(/<svg class="sheet"[\s\S]*?<\/svg>/g)].map(([s]) => s);
    expect(sheets).toHaveLength(2);
    for (const sheet of sheets) expect(xmlProblem(sheet)).toBeUndefined();
    expect(hrefs(res.body)).toHaveLength(30);
    const one = await labels(`district=${west.code}&format=html&page=2`);
    expect(hrefs(one.body)).toHaveLength(6);
  });

  it('selects by type and by street', async () => {
    const bins = await labels(`district=${west.code}&type=bin&format=svg`);
    expect(bins.headers['x-label-count']).toBe('15');
    const onStreetObjects = westObjects.filter((o) => o.address?.includes(street));
    const onStreet = onStreetObjects.map((o) => o.number);
    const byStreet = await labels(`street=${encodeURIComponent(street.toUpperCase())}&format=svg`);
    expect(byStreet.statusCode).toBe(200);
    expect(hrefs(byStreet.body)).toEqual(onStreet.sort().map((n) => residentUrl(PUBLIC_URL, n)));
    // The address as written, here on two lines.
    expect(byStreet.body).toContain(`>вул. ${street.split(' ')[0]}<`);
    const poles = await labels(`street=${encodeURIComponent(street)}&type=pole&format=svg`);
    const onStreetPoles = onStreetObjects.filter((o) => o.type === 'pole').length;
    expect(onStreetPoles).toBeGreaterThan(0);
    expect(onStreetPoles).toBeLessThan(onStreet.length);
    expect(poles.headers['x-label-count']).toBe(String(onStreetPoles));
  });

  it('refuses a selection larger than a request prints, and bad parameters', async () => {
    for (const query of [`district=${east.code}`, `district=${east.code}&type=tree`]) {
      const res = await labels(query);
      expect(res.statusCode).toBe(400);
      expect(res.json()).toMatchObject({ error: 'bad_request', message: expect.stringMatching(/narrow/) });
    }
    for (const query of [
      'format=pdf',
      'page=0',
      'district=a%20b',
      `street=${'x'.repeat(101)}`,
      'street=%20%20',
      'unknown=1',
      `district=${west.code}&page=3`,
    ]) {
      const res = await labels(query);
      expect(res.statusCode, query).toBe(400);
      expect(res.json().error).toBe('bad_request');
    }
    const none = await labels(`district=${west.code}&type=shelter`);
    expect(none.statusCode).toBe(404);
    expect(none.json().error).toBe('not_found');
  });

  it('is for staff only', async () => {
    const res = await app.inject({ url: `/api/v1/objects/labels?district=${west.code}` });
    expect(res.statusCode).toBe(401);
    expect(res.json().error).toBe('unauthorized');
  });
});
