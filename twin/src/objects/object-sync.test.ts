import type { Queryable } from '@city/ingest';
import type { InjectOptions } from 'fastify';
import { pino } from 'pino';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { districtFeature, manyObjects, testCity } from '../../test/city-fixture.ts';
import { ENGINES } from '../../test/engines.ts';
import { testServer } from '../../test/test-server.ts';
import { ensureAccount } from '../access/accounts.ts';
import { numberKey } from '../contract/object-number.ts';
import { buildServer } from '../server/app.ts';
import { objectFeature } from './export/export-geojson.ts';
import { lookAtChanges, objectChangesSince } from './object-changes-table.ts';
import type { CityObjectRecord } from './object-record.ts';

/** Looks every 50 ms: what another server changed shows here within a few of them. */
const SYNC_MS = 50;
const soon = { timeout: 5000, interval: 25 };

describe.each(ENGINES)('objects followed across server processes on %s', async (engine, open) => {
  // Two servers on one database, as two API processes in production: A serves the changes, B
  // only hears of them by looking. (For PGlite they share the one Db; on PostgreSQL the pool.)
  const a = await testServer({ objectSyncMs: SYNC_MS }, { open });
  const b = await buildServer({
    logger: pino({ level: 'silent' }),
    ingest: a.ingest,
    auth: { jwtSecret: 'a-test-secret-a-test-secret-a-test-secret', tokenTtlSeconds: 3600 },
    rateLimits: { api: 10_000, signIn: 10_000, commands: 10_000 },
    objectSyncMs: SYNC_MS,
  });
  const { db } = a.ingest;
  afterAll(async () => {
    await b.close();
    await a.close();
  });
  const operator = await a.as('operator');

  const city = testCity();
  const [west] = city.districts;
  const viewerOfB = await (async () => {
    const username = `viewer-${city.run}`;
    const password = `a password for ${username}`;
    await ensureAccount(db, { username, password, role: 'viewer', utility: null }, { demo: true });
    const login = await b.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username, password } });
    const token = login.json().token as string;
    return (opts: InjectOptions) =>
      b.inject({ ...opts, headers: { authorization: `Bearer ${token}`, ...opts.headers } });
  })();

  const objects: CityObjectRecord[] = manyObjects(city, 20).map((o) => ({ ...o, district: west.code }));
  const [first, second, third] = objects as [CityObjectRecord, CityObjectRecord, CityObjectRecord];
  const importThroughA = (records: CityObjectRecord[], query = '') =>
    operator({
      method: 'POST',
      url: `/api/v1/objects/import${query}`,
      payload: {
        type: 'FeatureCollection',
        features: [...city.districts.map(districtFeature), ...records.map(objectFeature)],
      },
    });
  const inB = (number: string) => b.inject({ url: `/api/v1/objects/${encodeURIComponent(number)}` });
  const nearInB = async (lat: number, lon: number) => {
    const res = await viewerOfB({ url: `/api/v1/objects?near=${lat},${lon}&radius=30&limit=1000` });
    expect(res.statusCode).toBe(200);
    return (res.json().objects as { number: string }[]).map((o) => o.number);
  };

  it('an import served by A is found by B: by number, near its place, with its new district named', async () => {
    const res = await importThroughA(objects);
    expect(res.json()).toMatchObject({ written: true, created: objects.length, districts: 2 });
    await vi.waitFor(async () => {
      const found = await inB(first.number);
      expect(found.statusCode).toBe(200);
      // The district came with the import: B's names were read again, not only its index.
      expect(found.json().district).toEqual({ code: west.code, name: west.name, nameEn: west.nameEn });
    }, soon);
    await vi.waitFor(async () => expect(await nearInB(second.lat, second.lon)).toContain(second.number), soon);
  });

  it("an operator's SQL UPDATE of an object's position moves it in B, and sets updated_at", async () => {
    const before = await db.query<{ updatedAt: Date }>(
      'SELECT updated_at AS "updatedAt" FROM objects WHERE number = $1',
      [second.number],
    );
    const [lon, lat] = city.at(0.93, 0.93);
    await db.query('UPDATE objects SET lat = $2, lon = $3 WHERE number = $1', [second.number, lat, lon]);
    await vi.waitFor(async () => expect(await nearInB(lat, lon)).toContain(second.number), soon);
    expect(await nearInB(second.lat, second.lon)).not.toContain(second.number);
    expect((await inB(second.number)).json()).toMatchObject({ lat, lon });
    const after = await db.query<{ updatedAt: Date }>(
      'SELECT updated_at AS "updatedAt" FROM objects WHERE number = $1',
      [second.number],
    );
    expect(after.rows[0]?.updatedAt.getTime()).toBeGreaterThan(before.rows[0]?.updatedAt.getTime() as number);
  });

  it("an operator's SQL DELETE removes the object from B", async () => {
    await db.query('DELETE FROM objects WHERE number = $1', [third.number]);
    await vi.waitFor(async () => expect((await inB(third.number)).statusCode).toBe(404), soon);
    expect(await nearInB(third.lat, third.lon)).not.toContain(third.number);
  });

  it('an object type and an object added by SQL show in B with their label', async () => {
    const type = `t${city.run}`;
    const number = `X-${city.run}-1`;
    const [lon, lat] = city.at(0.2, 0.8);
    await db.query(
      "INSERT INTO object_types (id, prefix, label_uk, label_en) VALUES ($1, 'X', 'тестовий об’єкт', 'test object')",
      [type],
    );
    await db.query(
      'INSERT INTO objects (number, number_key, type, lat, lon, district) VALUES ($1, $2, $3, $4, $5, $6)',
      [number, numberKey(number), type, lat, lon, west.code],
    );
    try {
      await vi.waitFor(async () => {
        const found = await inB(number);
        expect(found.statusCode).toBe(200);
        expect(found.json()).toMatchObject({ type, typeLabel: { uk: 'тестовий об’єкт', en: 'test object' } });
      }, soon);
    } finally {
      await db.query('DELETE FROM objects WHERE number = $1', [number]);
      await db.query('DELETE FROM object_types WHERE id = $1', [type]);
    }
    await vi.waitFor(async () => expect((await inB(number)).statusCode).toBe(404), soon);
  });

  // A replacing import removes every object the file does not name: on a shared database, other suites' too.
  it.runIf(engine === 'PGlite')('a replacing import served by A removes the objects it leaves out from B', async () => {
    const kept = objects.slice(0, 10).filter((o) => o !== third);
    const res = await importThroughA(kept, '?replace=true');
    expect(res.json()).toMatchObject({ written: true });
    const gone = objects[15] as CityObjectRecord;
    await vi.waitFor(async () => expect((await inB(gone.number)).statusCode).toBe(404), soon);
    expect(await nearInB(gone.lat, gone.lon)).not.toContain(gone.number);
    expect((await inB(first.number)).statusCode).toBe(200);
  });

  it.runIf(engine === 'PGlite')('a TRUNCATE, which leaves no deletions, empties B all the same', async () => {
    await db.query('TRUNCATE objects');
    await vi.waitFor(async () => expect((await inB(first.number)).statusCode).toBe(404), soon);
    expect(await nearInB(first.lat, first.lon)).toEqual([]);
  });

  // PGlite has one connection: no transaction of its is open while another statement runs.
  it.runIf(engine === 'PostgreSQL')(
    'a transaction that commits after a look, with rows a later one already committed, is read at the next look',
    async () => {
      const [early, late] = manyObjects(city, 40).slice(30) as [CityObjectRecord, CityObjectRecord];
      const insert = (q: Queryable, o: CityObjectRecord) =>
        q.query('INSERT INTO objects (number, number_key, type, lat, lon) VALUES ($1, $2, $3, $4, $5)', [
          o.number,
          numberKey(o.number),
          o.type,
          o.lat,
          o.lon,
        ]);
      const start = await lookAtChanges(db);
      let commit = () => {};
      const committed = new Promise<void>((resolve) => {
        commit = resolve;
      });
      let written = () => {};
      const wrote = new Promise<void>((resolve) => {
        written = resolve;
      });
      // `early` takes its transaction id first and commits last.
      const longOne = db.transaction(async (tx) => {
        await insert(tx, early);
        written();
        await committed;
      });
      await wrote;
      await insert(db, late);
      const firstLook = await objectChangesSince(db, start.mark);
      const seen = firstLook.upserted.map((o) => o.number);
      expect(seen).toContain(late.number);
      expect(seen).not.toContain(early.number);
      commit();
      await longOne;
      const secondLook = await objectChangesSince(db, firstLook.mark);
      expect(secondLook.upserted.map((o) => o.number)).toContain(early.number);
      await db.query('DELETE FROM objects WHERE number IN ($1, $2)', [early.number, late.number]);
    },
  );
});
