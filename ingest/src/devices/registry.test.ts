import { afterAll, describe, expect, it } from 'vitest';
import { type Db, openPglite } from '../store/db.ts';
import { migrate } from '../store/migrate.ts';
import { DeviceRegistry, upsertDevice } from './registry.ts';

describe('device registry', async () => {
  const db = await openPglite();
  await migrate(db);
  afterAll(() => db.close());
  const asked: string[] = [];
  const counted: Db = {
    ...db,
    query: (sql, params) => {
      asked.push(sql);
      return db.query(sql, params);
    },
  };

  it('asks the database for many cache misses in a few queries, and remembers who is unknown', async () => {
    await upsertDevice(db, {
      devEui: 'a000000000000007',
      model: 'milesight-iot/em310-udl',
      objectNumber: 'СМ-01-00007',
    });
    const registry = new DeviceRegistry(counted);
    const devEuis = Array.from({ length: 200 }, (_, i) => `a0000000000000${i.toString(16).padStart(2, '0')}`);
    const found = await Promise.all(devEuis.map((e) => registry.resolve(e)));
    expect(found.filter(Boolean)).toEqual([
      expect.objectContaining({ devEui: 'a000000000000007', objectNumber: 'СМ-01-00007' }),
    ]);
    expect(asked.length).toBeLessThanOrEqual(2);
    asked.length = 0;
    expect(await registry.resolve('a000000000000008')).toBeUndefined();
    expect(await registry.resolve('a000000000000007')).toMatchObject({ model: 'milesight-iot/em310-udl' });
    expect(asked).toEqual([]);
  });

  it('remembers a bounded number of unknown devEuis', async () => {
    const registry = new DeviceRegistry(db);
    const strangers = Array.from({ length: 12_000 }, (_, i) => `f${i.toString(16).padStart(15, '0')}`);
    await Promise.all(strangers.map((e) => registry.resolve(e)));
    expect(registry.unknownSize).toBe(10_000);
  });

  it('adopts at most its hourly allowance of new devices', () => {
    const registry = new DeviceRegistry(db, 3);
    expect([1, 2, 3, 4, 5].map(() => registry.takeAdoption())).toEqual([true, true, true, false, false]);
    expect(new DeviceRegistry(db).takeAdoption()).toBe(true);
  });
});
