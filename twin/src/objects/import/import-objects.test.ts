import { ApiError, migrate } from '@city/ingest';
import { afterAll, describe, expect, it } from 'vitest';
import { districtFeature, manyObjects, pointFeature, testCity } from '../../../test/city-fixture.ts';
import { ENGINES } from '../../../test/engines.ts';
import type { ImportRejection } from '../../contract/objects.ts';
import { migrateTwin } from '../../migrate.ts';
import { listDistricts, upsertDistricts } from '../districts-table.ts';
import { exportCsv } from '../export/export-csv.ts';
import { exportGeoJson, objectFeature } from '../export/export-geojson.ts';
import type { CityObjectRecord, DistrictRecord, ObjectStore } from '../object-record.ts';
import { deleteObject, getObject, listObjects } from '../objects-table.ts';
import { seedReferenceData } from '../reference-data.ts';
import { importObjects } from './import-objects.ts';

const collect = async (lines: AsyncIterable<string>) => {
  let text = '';
  for await (const line of lines) text += line;
  return text;
};

/** Which rows a report rejected, each with the fields its reasons name. */
const rejections = (rejected: ImportRejection[]) =>
  rejected.map((r) => ({ at: r.feature ?? r.row, fields: r.reasons.map((reason) => reason.split(':')[0]) }));

/** An ObjectStore that records what it was told. */
function recordingStore() {
  const calls = { upserted: [] as CityObjectRecord[], removed: [] as string[], districts: [] as DistrictRecord[][] };
  const store: ObjectStore = {
    get: () => undefined,
    upsert: (o) => calls.upserted.push(o),
    remove: (n) => calls.removed.push(n),
    setDistricts: (d) => calls.districts.push([...d]),
  };
  return { store, calls };
}

describe.each(ENGINES)('importing objects on %s', async (engine, open) => {
  const db = await open();
  await migrate(db);
  await migrateTwin(db);
  await seedReferenceData(db);
  afterAll(() => db.close());

  it('GeoJSON: rejects exactly the bad features, naming the field; all or nothing, or the valid ones', async () => {
    const city = testCity();
    const [west, east] = city.districts;
    const n = (i: number) => city.number('ОП', i);
    const inWest = city.at(0.25, 0.25);
    const inEast = city.at(1.25, 0.25);
    const pole = (number: string, extra: Record<string, unknown> = {}) =>
      pointFeature(inWest, { number, type: 'pole', ...extra });
    const features = [
      /* 0 */ districtFeature(west),
      /* 1 */ districtFeature(east),
      /* 2 */ {
        type: 'Feature',
        geometry: { type: 'LineString', coordinates: [inWest, inEast] },
        properties: { kind: 'street', name: 'вул. Тестова' },
      },
      /* 3 */ pole(n(1), { district: west.code, lampPowerW: 90 }),
      /* 4 */ pointFeature(inEast, { number: city.number('СМ', 1), type: 'bin', depthMm: 1100 }),
      /* 5 */ pole(n(6)),
      /* 6 */ pole(n(6).replace('ОП', 'OP').toLowerCase()),
      /* 7 */ pointFeature([inWest[0], 91], { number: n(7), type: 'pole' }),
      /* 8 */ {
        type: 'Feature',
        geometry: { type: 'Point', coordinates: ['abc', inWest[1]] },
        properties: { number: n(8), type: 'pole' },
      },
      /* 9 */ pointFeature([inWest[1], inWest[0]], { number: n(9), type: 'pole' }),
      /* 10 */ pole(n(10), { type: 'lamp' }),
      /* 11 */ pole(n(11), { district: 'zz' }),
      /* 12 */ pole(n(12), { ownerUtility: 'gazprom' }),
      /* 13 */ pointFeature(inWest, { number: city.number('СМ', 13), type: 'bin', depthMm: 'deep' }),
      /* 14 */ pointFeature(inWest, { number: city.number('СМ', 14), type: 'bin', depthMm: 99_999 }),
      /* 15 */ pole(n(15), { depthMm: 1200 }),
      /* 16 */ pole(`${n(16)}-${'9'.repeat(64)}`),
      /* 17 */ pole(n(17), { address: 'вул.\u0000Соборна' }),
      /* 18 */ pole(n(18), { address: 'вул. \ufffdоборна' }),
      /* 19 */ {
        type: 'Feature',
        geometry: { type: 'LineString', coordinates: [inWest, inEast] },
        properties: { number: n(19), type: 'pole' },
      },
      /* 20 */ pointFeature(inWest, {
        number: city.number('ЗП', 20),
        type: 'shelter',
        capacity: 30,
        heated: true,
        ownerUtility: 'vodokanal',
      }),
      /* 21 */ pole(''),
      /* 22 */ pole(n(22), { street: 'просп. Соборний', synthetic: true }),
    ];
    const expected = [
      { at: 5, fields: ['number'] },
      { at: 6, fields: ['number'] },
      { at: 7, fields: ['lat'] },
      { at: 8, fields: ['lon'] },
      { at: 9, fields: ['lat/lon'] },
      { at: 10, fields: ['type'] },
      { at: 11, fields: ['district'] },
      { at: 12, fields: ['ownerUtility'] },
      { at: 13, fields: ['depthMm'] },
      { at: 14, fields: ['depthMm'] },
      { at: 15, fields: ['depthMm'] },
      { at: 16, fields: ['number'] },
      { at: 17, fields: ['address'] },
      { at: 18, fields: ['address'] },
      { at: 19, fields: ['geometry'] },
      { at: 21, fields: ['number'] },
    ];

    const refused = await importObjects(
      db,
      { format: 'geojson', collection: { features } },
      { mode: 'all-or-nothing' },
    );
    expect(rejections(refused.rejected)).toEqual(expected);
    expect(refused).toMatchObject({
      written: false,
      accepted: 4,
      created: 0,
      rejectedCount: expected.length,
      ignored: 1,
    });
    expect(await getObject(db, n(1))).toBeUndefined();
    expect((await listDistricts(db)).map((d) => d.code)).not.toContain(west.code);
    // The reasons say what is wrong, in words.
    const reasons = Object.fromEntries(refused.rejected.map((r) => [r.feature, r.reasons.join('; ')]));
    expect(reasons[6]).toMatch(/2 rows of the file have this number \(features 5, 6\)/);
    expect(reasons[7]).toMatch(/91 is not a latitude/);
    expect(reasons[9]).toMatch(/km outside the city's districts/);
    expect(reasons[10]).toMatch(/unknown object type "lamp"/);
    expect(reasons[13]).toMatch(/must be a number/);
    expect(reasons[14]).toMatch(/above 5000 mm/);
    expect(reasons[15]).toMatch(/not an attribute of pole/);
    expect(reasons[16]).toMatch(/longer than 64/);
    expect(reasons[17]).toMatch(/NUL/);
    expect(reasons[18]).toMatch(/UTF-8/);

    const { store, calls } = recordingStore();
    const kept = await importObjects(
      db,
      { format: 'geojson', collection: { features } },
      { mode: 'keep-valid', objects: store },
    );
    expect(rejections(kept.rejected)).toEqual(expected);
    expect(kept).toMatchObject({ written: true, accepted: 4, created: 4, updated: 0, districts: 2, ignored: 1 });
    expect(await getObject(db, n(1))).toEqual({
      number: n(1),
      type: 'pole',
      lat: inWest[1],
      lon: inWest[0],
      district: west.code,
      address: null,
      ownerUtility: 'misksvitlo',
      attributes: { lampPowerW: 90 },
    });
    // No district given: found by point-in-polygon; no owner given: the type's default owner.
    expect(await getObject(db, city.number('СМ', 1))).toMatchObject({ district: east.code, ownerUtility: 'vidkhody' });
    expect(await getObject(db, city.number('ЗП', 20))).toMatchObject({
      ownerUtility: 'vodokanal',
      attributes: { capacity: 30, heated: true },
    });
    expect(await getObject(db, n(22))).toMatchObject({ address: 'просп. Соборний', attributes: { synthetic: true } });
    expect(await getObject(db, n(6))).toBeUndefined();
    // The index hears of every change once the transaction has committed.
    expect(calls.upserted.map((o) => o.number).sort()).toEqual(
      [n(1), city.number('СМ', 1), city.number('ЗП', 20), n(22)].sort(),
    );
    expect(calls.districts.at(-1)?.map((d) => d.code)).toEqual(expect.arrayContaining([west.code, east.code]));
  });

  it('CSV: rejects exactly the bad rows, naming the column; a quoted cell may span lines', async () => {
    const city = testCity();
    const [west, east] = city.districts;
    await upsertDistricts(db, city.districts);
    const n = (i: number) => city.number('ОП', i);
    const [lonW, latW] = city.at(0.5, 0.5);
    const [lonE, latE] = city.at(1.5, 0.5);
    const csv = [
      'number,type,lat,lon,district,address,owner_utility,depthMm,lampPowerW,capacity,heated',
      /* 2 */ `${n(2)},pole,${latW},${lonW},${west.code},"вул. Соборна, 1",,,90,,`,
      /* 3 */ `${city.number('СМ', 3)},bin,${latE},${lonE},,"двір,\nпід аркою",,1100,,,`,
      /* 5 */ `${n(5)},pole,abc,${lonW},,,,,,,`,
      /* 6 */ `${n(6)},pole,${latW},${lonW},,,,,,,,extra`,
      /* 7 */ `${n(7)},lamp,${latW},${lonW},,,,,,,`,
      /* 8 */ `${n(8)},pole,${latW},${lonW},nowhere,,,,,,`,
      /* 9 */ `${n(9)},pole,${latW},${lonW},,,gazprom,,,,`,
      /* 10 */ `${city.number('ЗП', 10)},shelter,${latW},${lonW},,,,,,2.5,yes`,
      /* 11 */ `${n(11)},pole,${latW},${lonW},,,,,1e9,,`,
      /* 12 */ `${n(12)},pole,${latW},${lonW},,,,,,,`,
      /* 13 */ ` ${n(12).replace('ОП', 'op')} ,pole,${latW},${lonW},,,,,,,`,
      /* 14 */ `${city.number('ЗП', 14)},shelter,${latE},${lonE},${east.code},,elektrotrans,,,40,TRUE`,
      /* 15 */ `${n(15)},pole,1e400,${lonW},,,,,,,`,
    ].join('\r\n');
    const expected = [
      { at: 5, fields: ['lat'] },
      { at: 6, fields: ['row'] },
      { at: 7, fields: ['type'] },
      { at: 8, fields: ['district'] },
      { at: 9, fields: ['owner_utility'] },
      { at: 10, fields: ['capacity', 'heated'] },
      { at: 11, fields: ['lampPowerW'] },
      { at: 12, fields: ['number'] },
      { at: 13, fields: ['number'] },
      { at: 15, fields: ['lat'] },
    ];
    const refused = await importObjects(db, { format: 'csv', text: csv }, { mode: 'all-or-nothing' });
    expect(rejections(refused.rejected)).toEqual(expected);
    expect(refused).toMatchObject({ written: false, accepted: 3 });
    expect(await getObject(db, n(2))).toBeUndefined();

    const kept = await importObjects(db, { format: 'csv', text: `\ufeff${csv}` }, { mode: 'keep-valid' });
    expect(rejections(kept.rejected)).toEqual(expected);
    expect(kept).toMatchObject({ written: true, accepted: 3, created: 3 });
    expect(await getObject(db, n(2))).toMatchObject({ address: 'вул. Соборна, 1', attributes: { lampPowerW: 90 } });
    expect(await getObject(db, city.number('СМ', 3))).toMatchObject({
      address: 'двір,\nпід аркою',
      district: east.code,
      attributes: { depthMm: 1100 },
    });
    expect(await getObject(db, city.number('ЗП', 14))).toMatchObject({ attributes: { capacity: 40, heated: true } });
  });

  it('CSV from a comma-decimal spreadsheet: semicolons between cells, commas in numbers', async () => {
    const city = testCity();
    await upsertDistricts(db, city.districts);
    const [lon, lat] = city.at(0.5, 0.5).map((x) => String(x).replace('.', ','));
    const csv = `number;type;lat;lon;address;volumeL\n${city.number('СМ', 1)};bin;${lat};${lon};"вул. Миру, 2";1100,5\n`;
    const report = await importObjects(db, { format: 'csv', text: csv }, { mode: 'all-or-nothing' });
    expect(report).toMatchObject({ written: true, created: 1 });
    expect(await getObject(db, city.number('СМ', 1))).toMatchObject({
      lon: city.at(0.5, 0.5)[0],
      address: 'вул. Миру, 2',
      attributes: { volumeL: 1100.5 },
    });
  });

  it('refuses a file it cannot read as a whole (400), and never half-writes', async () => {
    const bad = (text: string) => importObjects(db, { format: 'csv', text }, { mode: 'keep-valid' });
    await expect(bad('')).rejects.toThrow(ApiError);
    await expect(bad('number,type,lat\nx,pole,1')).rejects.toThrow(/lacks the column\(s\) lon/);
    await expect(bad('number,type,lat,lon,lat\n')).rejects.toThrow(/twice/);
    await expect(bad('number,type,lat,lon\n"x,pole,1,2\n')).rejects.toThrow(/CSV: Quote Not Closed/);
  });

  it('updates by number key: a look-alike spelling updates the stored object, which keeps its spelling', async () => {
    const city = testCity();
    await upsertDistricts(db, city.districts);
    const painted = city.number('ОП', 1);
    const one = (number: string, address: string) => ({
      format: 'geojson' as const,
      collection: { features: [pointFeature(city.at(0.5, 0.5), { number, type: 'pole', address })] },
    });
    expect(await importObjects(db, one(painted, 'a'), { mode: 'all-or-nothing' })).toMatchObject({ created: 1 });
    const { store, calls } = recordingStore();
    const typed = painted.replace('ОП', 'op');
    expect(await importObjects(db, one(typed, 'b'), { mode: 'all-or-nothing', objects: store })).toMatchObject({
      created: 0,
      updated: 1,
    });
    expect(await getObject(db, typed)).toMatchObject({ number: painted, address: 'b' });
    expect(calls.upserted.map((o) => o.number)).toEqual([painted]);
    expect(await importObjects(db, one(painted, 'b'), { mode: 'all-or-nothing' })).toMatchObject({
      updated: 0,
      unchanged: 1,
    });
  });

  it.each(['geojson', 'csv'] as const)('%s: export, then import, gives the same objects', async (format) => {
    const city = testCity();
    const [west] = city.districts;
    const objects = manyObjects(city, 600);
    objects[0] = {
      ...objects[0],
      address: 'вул. "Лапки", 5; кут\nдвору',
      attributes: { lampPowerW: 0.1 + 0.2 },
    } as CityObjectRecord;
    objects[1] = {
      ...objects[1],
      lat: (objects[1] as CityObjectRecord).lat + 1e-13,
      attributes: { depthMm: 300, route: '007', fraction: '' },
    } as CityObjectRecord;
    const features = [...city.districts.map(districtFeature), ...objects.map(objectFeature)];
    const first = await importObjects(db, { format: 'geojson', collection: { features } }, { mode: 'all-or-nothing' });
    expect(first.rejected).toEqual([]);
    const ours = async () =>
      (await listObjects(db)).filter((o) => o.district === west.code).sort((a, b) => a.number.localeCompare(b.number));
    const before = await ours();
    expect(before.length).toBeGreaterThan(200);

    const filter = { district: west.code };
    const file = await collect(format === 'csv' ? exportCsv(db, filter) : exportGeoJson(db, filter));
    for (const o of before) await deleteObject(db, o.number);
    expect(await ours()).toEqual([]);
    const again = await importObjects(
      db,
      format === 'csv' ? { format, text: file } : { format, collection: JSON.parse(file) },
      { mode: 'all-or-nothing' },
    );
    expect(again).toMatchObject({ written: true, rejectedCount: 0, created: before.length });
    expect(await ours()).toEqual(before);
  });

  it.runIf(engine === 'PGlite')('replace=true: objects and districts the file does not name are removed', async () => {
    const city = testCity();
    const [west, east] = city.districts;
    const objects = manyObjects(city, 40);
    const file = (records: CityObjectRecord[], districts: DistrictRecord[]) => ({
      format: 'geojson' as const,
      collection: { features: [...districts.map(districtFeature), ...records.map(objectFeature)] },
    });
    await importObjects(db, file(objects, [west, east]), { mode: 'all-or-nothing' });
    const inWest = objects.filter((o) => o.lon < city.at(1, 0)[0]);
    const stored = (await listObjects(db)).length;
    const { store, calls } = recordingStore();
    const report = await importObjects(db, file(inWest, [west]), {
      mode: 'all-or-nothing',
      replace: true,
      objects: store,
    });
    const all = await listObjects(db);
    expect(report).toMatchObject({ unchanged: inWest.length, removed: stored - inWest.length });
    expect(all.map((o) => o.number).sort()).toEqual(inWest.map((o) => o.number).sort());
    expect((await listDistricts(db)).map((d) => d.code)).toEqual([west.code]);
    expect(calls.removed.length).toBe(report.removed);
    expect(calls.districts.at(-1)?.map((d) => d.code)).toEqual([west.code]);
  });

  it('imports 20,000 objects in seconds', async () => {
    const city = testCity();
    const objects = manyObjects(city, 20_000);
    const features = [...city.districts.map(districtFeature), ...objects.map(objectFeature)];
    const started = performance.now();
    const report = await importObjects(db, { format: 'geojson', collection: { features } }, { mode: 'all-or-nothing' });
    const ms = performance.now() - started;
    console.log(`${engine}: imported ${report.created} objects in ${Math.round(ms)} ms`);
    expect(report).toMatchObject({ written: true, created: 20_000 });
    expect(ms).toBeLessThan(30_000);
  });
});
