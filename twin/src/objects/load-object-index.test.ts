import { randomBytes } from 'node:crypto';
import { migrate } from '@city/ingest';
import { afterAll, describe, expect, it } from 'vitest';
import { ENGINES } from '../../test/engines.ts';
import { migrateTwin } from '../migrate.ts';
import { upsertDistricts } from './districts-table.ts';
import { loadObjectIndex } from './load-object-index.ts';
import type { CityObjectRecord } from './object-record.ts';
import { upsertObjects } from './objects-table.ts';
import { seedReferenceData } from './reference-data.ts';

describe.each(ENGINES)('loading the object index on %s', async (_name, open) => {
  const db = await open();
  await migrate(db);
  await migrateTwin(db);
  await seedReferenceData(db);
  afterAll(() => db.close());

  it('holds every object of the table and the districts, and answers from them', async () => {
    // A district, numbers and a place on earth of this run's own, so runs against a shared database do not meet.
    const code = `t${randomBytes(4).toString('hex')}`;
    const west = -170 + Math.random() * 340;
    const south = -60 + Math.random() * 120;
    await upsertDistricts(db, [
      {
        code,
        name: 'Тестовий',
        nameEn: 'Test',
        boundary: {
          type: 'Polygon',
          coordinates: [
            [
              [west, south],
              [west + 0.1, south],
              [west + 0.1, south + 0.1],
              [west, south + 0.1],
              [west, south],
            ],
          ],
        },
      },
    ]);
    const objects = Array.from(
      { length: 6000 },
      (_, i): CityObjectRecord => ({
        number: `ОП-${code}-${String(i + 1).padStart(5, '0')}`,
        type: i % 3 === 0 ? 'bin' : 'pole',
        lat: south + (i % 100) * 0.001,
        lon: west + Math.floor(i / 100) * 0.0008,
        district: code,
        address: i % 2 === 0 ? 'вул. Соборна, 1' : null,
        ownerUtility: null,
        attributes: i % 3 === 0 ? { volumeL: 1100 } : {},
      }),
    );
    await upsertObjects(db, objects);

    const index = await loadObjectIndex(db);
    expect(index.size).toBeGreaterThanOrEqual(objects.length);
    for (const o of [objects[0], objects[3000], objects[5999]] as CityObjectRecord[]) {
      expect(index.get(o.number.toLowerCase())).toEqual(o);
    }
    expect(index.inDistrict(code, { type: 'bin' })).toHaveLength(2000);
    expect(index.districtAt(west + 0.05, south + 0.05)).toBe(code);
    const [nearest] = index.nearest(south, west, 1, { type: 'bin' });
    expect(nearest?.object.number).toBe(objects[0]?.number);
    // A shared database is left as it was found.
    await db.query('DELETE FROM objects WHERE district = $1', [code]);
    await db.query('DELETE FROM districts WHERE code = $1', [code]);
  });
});
