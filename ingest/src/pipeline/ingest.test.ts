import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { afterAll, describe, expect, it } from 'vitest';
import { DeviceRegistry } from '../devices/registry.ts';
import { Spool } from '../spool/spool.ts';
import { type Db, openPglite } from '../store/db.ts';
import { migrate } from '../store/migrate.ts';
import { Ingest } from './ingest.ts';
import { createIngestMetrics } from './prometheus.ts';

const quiet = pino({ level: 'silent' });
const OPTIONS = { batchSize: 100, flushMs: 10, bufferLimit: 1000, writers: 1 };

/** A ChirpStack JSON uplink of an EM310-UDL that tells its model in a tag (zero-touch). */
function uplink(
  devEui: string,
  fCnt: number,
  timeMs = Date.parse('2026-11-20T10:00:00Z') + fCnt * 60_000,
): [string, Uint8Array] {
  const event = {
    deduplicationId: `d-${devEui}-${fCnt}`,
    time: new Date(timeMs).toISOString(),
    deviceInfo: { devEui, applicationId: 'app', deviceName: devEui, tags: { model: 'milesight-iot/em310-udl' } },
    devAddr: '01020304',
    fCnt,
    fPort: 85,
    dr: 5,
    data: Buffer.from([0x01, 0x75, 80, 0x03, 0x82, 0xf4, 0x01, 0x04, 0x00, 0x00]).toString('base64'),
    rxInfo: [{ gatewayId: '0016c001f153a14c', rssi: -100, snr: 5 }],
    txInfo: { frequency: 868_100_000 },
  };
  return [`application/app/device/${devEui}/event/up`, Buffer.from(JSON.stringify(event))];
}

describe('ingest pipeline', async () => {
  const db = await openPglite();
  await migrate(db);
  afterAll(() => db.close());

  it('goes on taking frames while the devices of others are looked up', async () => {
    let open: () => void = () => {};
    const gate = new Promise<void>((resolve) => {
      open = resolve;
    });
    // Lookups of devices the cache does not hold wait at the gate.
    const gated: Db = {
      ...db,
      query: async (sql, params) => {
        if (sql.includes('ANY(')) await gate;
        return db.query(sql, params);
      },
    };
    const ingest = new Ingest(gated, new DeviceRegistry(gated), createIngestMetrics(), pino({ level: 'silent' }), {
      batchSize: 100,
      flushMs: 10,
      bufferLimit: 1000,
      writers: 1,
    });
    const fresh = ['b000000000000001', 'b000000000000002'];
    for (let fCnt = 1; fCnt <= 3; fCnt++)
      for (const devEui of fresh) expect(ingest.accept(...uplink(devEui, fCnt))).toBeUndefined();
    expect(ingest.depth).toBe(6);
    open();
    await ingest.drain();
    const count = async (sql: string) =>
      Number((await db.query<{ n: number }>(`SELECT count(*)::int AS n ${sql}`)).rows[0]?.n);
    expect(await count("FROM devices WHERE dev_eui LIKE 'b0%'")).toBe(2);
    expect(await count("FROM uplinks WHERE dev_eui LIKE 'b0%'")).toBe(6);
    expect(ingest.depth).toBe(0);
    await ingest.stop();
  });

  const count = async (sql: string, params: unknown[] = []) =>
    Number((await db.query<{ n: number }>(`SELECT count(*)::int AS n ${sql}`, params)).rows[0]?.n);

  // The frames to build again are read back from the spool, or from copies when there is none.
  it.each([
    ['without a spool', 'c000000000000001', false],
    ['from the spool', 'c000000000000011', true],
  ])(
    'splits a batch the database refuses (%s): the offender is dead-lettered with its message, the rest commits',
    async (_how, devEui, spooled) => {
      // A value no check of validate.ts refuses, but this database does.
      await db.exec('ALTER TABLE uplinks ADD CONSTRAINT test_poison CHECK (f_cnt <> 13)');
      const dir = mkdtempSync(join(tmpdir(), 'split-spool-'));
      try {
        // Small segments: the batch's frames span several, some written, the last ones not yet.
        const spool = spooled ? new Spool(dir, 0, 4096) : undefined;
        spool?.recover();
        const ingest = new Ingest(
          db,
          new DeviceRegistry(db),
          createIngestMetrics(),
          quiet,
          { ...OPTIONS, batchSize: 1000 },
          spool,
        );
        for (let fCnt = 1; fCnt <= 40; fCnt++) {
          ingest.accept(...uplink(devEui, fCnt));
          if (fCnt % 7 === 0 && fCnt < 30) ingest.flushSpool();
        }
        await ingest.drain();
        expect(await count('FROM uplinks WHERE dev_eui = $1', [devEui])).toBe(39);
        expect(await count('FROM devices WHERE dev_eui = $1', [devEui])).toBe(1);
        const { rows } = await db.query<{ reason: string; detail: string; topic: string }>(
          'SELECT reason, detail, topic FROM dead_letters WHERE topic LIKE $1',
          [`%${devEui}%`],
        );
        expect(rows).toEqual([
          {
            reason: 'refused_by_database',
            detail: expect.stringContaining('test_poison'),
            topic: `application/app/device/${devEui}/event/up`,
          },
        ]);
        expect(ingest.failingWriters).toBe(0);
        await ingest.stop();
      } finally {
        await db.exec('ALTER TABLE uplinks DROP CONSTRAINT test_poison');
        rmSync(dir, { recursive: true, force: true });
      }
    },
  );

  it('reports a failing writer while another one commits', async () => {
    let down = true;
    // The database refuses the connection for the batch holding one device's frames only.
    const flaky: Db = {
      ...db,
      transaction: (fn) =>
        db.transaction((tx) =>
          fn({
            ...tx,
            copyFrom: async (target, rows) => {
              if (down && Buffer.from(rows).includes('c000000000000002')) throw new Error('connection terminated');
              return tx.copyFrom(target, rows);
            },
          }),
        ),
    };
    const ingest = new Ingest(flaky, new DeviceRegistry(flaky), createIngestMetrics(), quiet, {
      ...OPTIONS,
      writers: 2,
    });
    ingest.accept(...uplink('c000000000000002', 1));
    await new Promise((resolve) => setTimeout(resolve, 50));
    ingest.accept(...uplink('c000000000000003', 1));
    const deadline = Date.now() + 5_000;
    while ((await count("FROM uplinks WHERE dev_eui = 'c000000000000003'")) === 0 && Date.now() < deadline)
      await new Promise((resolve) => setTimeout(resolve, 20));
    expect(ingest.failingWriters).toBe(1);
    expect(ingest.lastWriteError).toBe('connection terminated');
    expect((await ingest.metrics.writersFailing.get()).values[0]?.value).toBe(1);
    down = false;
    await ingest.drain();
    expect(ingest.failingWriters).toBe(0);
    expect(ingest.lastWriteError).toBeNull();
    await ingest.stop();
  });

  it('stores a frame dated ahead, but does not move the device into the future', async () => {
    const ingest = new Ingest(db, new DeviceRegistry(db), createIngestMetrics(), quiet, OPTIONS);
    const now = Date.now();
    ingest.accept(...uplink('c000000000000004', 1, now - 60_000));
    ingest.accept(...uplink('c000000000000004', 2, now + 12 * 3_600_000));
    await ingest.stop();
    expect(await count("FROM uplinks WHERE dev_eui = 'c000000000000004'")).toBe(2);
    const { rows } = await db.query<{ last_seen: Date; f_cnt: string }>(
      "SELECT last_seen, f_cnt FROM devices WHERE dev_eui = 'c000000000000004'",
    );
    expect(rows[0]?.last_seen.getTime()).toBe(now - 60_000);
    expect(Number(rows[0]?.f_cnt)).toBe(1);
  });

  it('gives up a stop after its deadline while the database is away, and keeps the spool', async () => {
    const away: Db = { ...db, transaction: async () => Promise.reject(new Error('connection refused')) };
    const dir = mkdtempSync(join(tmpdir(), 'stop-spool-'));
    const spool = new Spool(dir);
    spool.recover();
    const ingest = new Ingest(away, new DeviceRegistry(away), createIngestMetrics(), quiet, OPTIONS, spool);
    ingest.accept(...uplink('c000000000000005', 1));
    ingest.flushSpool();
    await expect(ingest.stop(300)).rejects.toThrow(
      /1 frames not committed within 0.3 s \(last error: connection refused\)/,
    );
    const next = new Spool(dir).recover();
    expect(next.frames.map((f) => f.topic)).toEqual(['application/app/device/c000000000000005/event/up']);
    rmSync(dir, { recursive: true, force: true });
  });
});
