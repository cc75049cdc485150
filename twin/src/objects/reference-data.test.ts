import { migrate } from '@city/ingest';
import { afterAll, describe, expect, it } from 'vitest';
import { ENGINES } from '../../test/engines.ts';
import { OBJECT_TYPES } from '../contract/object-types.ts';
import { migrateTwin } from '../migrate.ts';
import { listObjectTypes } from './object-types-table.ts';
import { checkTypes, loadReferenceData, seedReferenceData } from './reference-data.ts';
import { listUtilities } from './utilities-table.ts';

describe.each(ENGINES)('object types and utilities on %s', async (_name, open) => {
  const db = await open();
  await migrate(db);
  await migrateTwin(db);
  afterAll(() => db.close());

  it('are seeded from reference-data/, in step with the numbering scheme of the contract', async () => {
    await seedReferenceData(db);
    const { types, utilities } = await loadReferenceData(db);
    for (const [id, contract] of Object.entries(OBJECT_TYPES)) {
      expect(types.get(id), id).toMatchObject({ prefix: contract.prefix, labelUk: contract.uk, labelEn: contract.en });
      const owner = types.get(id)?.defaultOwner;
      expect(owner && utilities.has(owner), `${id}'s default owner`).toBe(true);
    }
    expect(types.get('bin')?.attributes.depthMm).toMatchObject({ kind: 'number', unit: 'mm' });
    expect(utilities.get('vodokanal')).toBeDefined();
  });

  it('a second start adds nothing and keeps what the city changed by SQL', async () => {
    const before = (await listUtilities(db)).find((u) => u.id === 'vodokanal')?.nameEn;
    await db.query("UPDATE utilities SET name_en = 'Our water company' WHERE id = 'vodokanal'");
    try {
      expect(await seedReferenceData(db)).toEqual({ types: 0, utilities: 0 });
      expect((await listUtilities(db)).find((u) => u.id === 'vodokanal')?.nameEn).toBe('Our water company');
    } finally {
      // The database may be shared with other suites.
      await db.query("UPDATE utilities SET name_en = $1 WHERE id = 'vodokanal'", [before]);
    }
    expect((await listObjectTypes(db)).length).toBeGreaterThanOrEqual(Object.keys(OBJECT_TYPES).length);
  });
});

describe('checking object types', () => {
  const type = { id: 'kiosk', prefix: 'КС', labelUk: 'кіоск', labelEn: 'kiosk', attributes: {} };
  it('refuses a reserved attribute name, an unknown default owner, a type defined twice', () => {
    const utilities = new Set(['vodokanal']);
    expect(() => checkTypes([{ ...type, attributes: { district: { kind: 'text' } } }], utilities)).toThrow(/reserved/);
    expect(() => checkTypes([{ ...type, defaultOwner: 'nobody' }], utilities)).toThrow(/not a utility/);
    expect(() => checkTypes([type, type], utilities)).toThrow(/twice/);
    expect(() => checkTypes([{ ...type, defaultOwner: 'vodokanal' }], utilities)).not.toThrow();
  });
});
