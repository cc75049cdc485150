import { randomBytes } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { BatchRows } from './batch-rows.ts';
import { type Db, openPglite, openPostgres } from './db.ts';
import type { DeviceRecord } from './devices-table.ts';
import { migrate } from './migrate.ts';
import type { UplinkMeta } from './uplinks-table.ts';
import { writeBatch } from './write-batch.ts';

const ENGINES: [string, () => Promise<Db>][] = [
  ['PGlite', () => openPglite()],
  ...(process.env.DATABASE_URL
    ? [['PostgreSQL', async () => openPostgres(process.env.DATABASE_URL as string)] as [string, () => Promise<Db>]]
    : []),
];

describe.each(ENGINES)('writing batches on %s', async (_name, open) => {
  const db = await open();
  await migrate(db);
  afterAll(() => db.close());

  // A devEui of its own per test, so runs against a shared database do not meet.
  const device = (objectNumber: string | null): DeviceRecord => ({
    devEui: randomBytes(8).toString('hex'),
    model: 'milesight-iot/em310-udl',
    name: '',
    applicationId: 'test',
    objectNumber,
    settings: {},
  });
  const uplink = (timeMs: number, fCnt: number): UplinkMeta => ({
    timeMs,
    fCnt,
    fPort: 85,
    dedupId: `dedup\t${fCnt}`,
    devAddr: '01020304',
    dr: 5,
    frequency: 868_100_000,
    rssi: -101,
    snr: 7.5,
    gatewayId: null,
    gateways: 1,
  });
  const add = (batch: BatchRows, d: DeviceRecord, timeMs: number, fCnt: number) => {
    batch.addUplink(d, uplink(timeMs, fCnt), [
      { metric: 'distance', value: 1234 },
      { metric: 'fill_level', value: fCnt / 10 },
    ]);
  };
  const rows = async (table: string, devEui: string) =>
    (await db.query<Record<string, unknown>>(`SELECT * FROM ${table} WHERE dev_eui = $1 ORDER BY 1, 3`, [devEui])).rows;

  it('stores text with separators in it as it was', async () => {
    const d = device('ОП-01\t00\\1\n7');
    const batch = new BatchRows();
    add(batch, d, Date.parse('2026-11-20T10:00:00.123Z'), 1);
    await writeBatch(db, batch);
    const [u] = await rows('uplinks', d.devEui);
    expect(u).toMatchObject({ dedup_id: 'dedup\t1', rssi: -101, snr: 7.5, gateway_id: null });
    expect(Number(u?.f_cnt)).toBe(1);
    expect(u?.time).toEqual(new Date('2026-11-20T10:00:00.123Z'));
    const readings = await rows('readings', d.devEui);
    expect(readings.map((r) => [r.metric, r.value, r.object_number])).toEqual([
      ['distance', 1234, 'ОП-01\t00\\1\n7'],
      ['fill_level', 0.1, 'ОП-01\t00\\1\n7'],
    ]);
  });

  it('stores a replayed uplink once, within a batch and across batches, and the new rows beside it', async () => {
    const d = device('СМ-02-00001');
    const t = Date.parse('2026-11-20T11:00:00Z');
    const first = new BatchRows();
    add(first, d, t, 1);
    add(first, d, t, 1);
    await writeBatch(db, first);
    const second = new BatchRows();
    add(second, d, t, 1);
    add(second, d, t + 60_000, 2);
    await writeBatch(db, second);
    expect((await rows('uplinks', d.devEui)).map((r) => Number(r.f_cnt))).toEqual([1, 2]);
    expect(await rows('readings', d.devEui)).toHaveLength(4);
  });
});
