import { pino } from 'pino';
import { afterAll, describe, expect, it } from 'vitest';
import { DeviceRegistry } from '../devices/registry.ts';
import { type Db, openPglite } from '../store/db.ts';
import { migrate } from '../store/migrate.ts';
import { Ingest } from './ingest.ts';
import { createIngestMetrics } from './prometheus.ts';

/** A ChirpStack JSON uplink of an EM310-UDL that tells its model in a tag (zero-touch). */
function uplink(devEui: string, fCnt: number): [string, Uint8Array] {
  const event = {
    deduplicationId: `d-${devEui}-${fCnt}`,
    time: new Date(Date.parse('2026-11-20T10:00:00Z') + fCnt * 60_000).toISOString(),
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
});
