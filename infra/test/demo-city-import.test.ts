import { DEMO_DEVICES, demoCity, toGeoJSON } from '@city/firmware-sim';
import { migrate, openPglite } from '@city/ingest';
import { countObjects, importObjects, migrateTwin, ObjectIndex, seedReferenceData } from '@city/twin';
import { afterAll, describe, expect, it } from 'vitest';

const DEMO_SEED = 2026;

/** The demo city comes in through the twin's import on first start (embedded.ts): all of it, in seconds. */
describe('the demo city through the import', async () => {
  const db = await openPglite();
  await migrate(db);
  await migrateTwin(db);
  await seedReferenceData(db);
  afterAll(() => db.close());

  it('imports every object and district of the demo city, with no rejection', async () => {
    const city = demoCity(DEMO_SEED, DEMO_DEVICES);
    const index = ObjectIndex.build([]);
    const report = await importObjects(
      db,
      { format: 'geojson', collection: toGeoJSON(city) },
      { mode: 'all-or-nothing', objects: index },
    );
    console.log(`demo city: ${report.created} objects, ${report.districts} districts in ${report.ms} ms on PGlite`);
    expect(report.rejected).toEqual([]);
    expect(report).toMatchObject({
      written: true,
      created: city.objects.length,
      districts: 7,
      ignored: city.streets.length,
    });
    expect(city.objects.length).toBeGreaterThanOrEqual(20_000);
    expect(await countObjects(db)).toBe(city.objects.length);
    // The districts the demo gives are the ones the objects end up in, and the index follows the table.
    const sample = city.objects[city.objects.length >> 1];
    expect(index.get(sample?.number.replace('-', ' ').toLowerCase() ?? '')).toMatchObject({
      number: sample?.number,
      district: sample?.district,
    });
  });
});
