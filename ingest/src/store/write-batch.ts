import { createHash } from 'node:crypto';
import type { Batch } from '../pipeline/batch.ts';
import type { Db } from './db.ts';

/**
 * Commits one batch in one transaction. Each table gets one `INSERT ... SELECT FROM unnest(...)`
 * with every column as an array parameter, and `ON CONFLICT DO NOTHING` on the natural key,
 * so a replayed uplink, event or dead letter is a no-op (bench: measured against COPY).
 */
export async function writeBatch(db: Db, batch: Batch): Promise<void> {
  await db.transaction(async (tx) => {
    if (batch.newDevices.length > 0) {
      const d = batch.newDevices;
      await tx.query(
        `INSERT INTO devices (dev_eui, model, name, application_id, object_number)
         SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[])
         ON CONFLICT (dev_eui) DO NOTHING`,
        [
          d.map((x) => x.devEui),
          d.map((x) => x.model),
          d.map((x) => x.name),
          d.map((x) => x.applicationId),
          d.map((x) => x.objectNumber),
        ],
      );
    }
    if (batch.uplinks.length > 0) {
      const u = batch.uplinks;
      await tx.query(
        `INSERT INTO uplinks (time, dev_eui, f_cnt, f_port, dedup_id, dev_addr, dr, frequency, rssi, snr, gateway_id, gateways)
         SELECT to_timestamp(t / 1000.0), e, f, p, i, a, d, q, r, s, g, n
           FROM unnest($1::float8[], $2::text[], $3::int8[], $4::int4[], $5::text[], $6::text[], $7::int2[],
                       $8::int8[], $9::float4[], $10::float4[], $11::text[], $12::int2[])
             AS x(t, e, f, p, i, a, d, q, r, s, g, n)
         ON CONFLICT DO NOTHING`,
        [
          u.map((x) => x.timeMs),
          u.map((x) => x.devEui),
          u.map((x) => x.fCnt),
          u.map((x) => x.fPort),
          u.map((x) => x.dedupId),
          u.map((x) => x.devAddr),
          u.map((x) => x.dr),
          u.map((x) => x.frequency),
          u.map((x) => x.rssi),
          u.map((x) => x.snr),
          u.map((x) => x.gatewayId),
          u.map((x) => x.gateways),
        ],
      );
    }
    if (batch.readingCount > 0) {
      const r = batch.readings;
      await tx.query(
        `INSERT INTO readings (time, dev_eui, object_number, metric, value)
         SELECT to_timestamp(t / 1000.0), e, o, m, v
           FROM unnest($1::float8[], $2::text[], $3::text[], $4::text[], $5::float8[]) AS x(t, e, o, m, v)
         ON CONFLICT DO NOTHING`,
        [r.timeMs, r.devEui, r.objectNumber, r.metric, r.value],
      );
    }
    if (batch.events.type.length > 0) {
      const e = batch.events;
      await tx.query(
        `INSERT INTO device_events (time, dev_eui, type, detail)
         SELECT to_timestamp(t / 1000.0), e, y, d::jsonb
           FROM unnest($1::float8[], $2::text[], $3::text[], $4::text[]) AS x(t, e, y, d)
         ON CONFLICT DO NOTHING`,
        [e.timeMs, e.devEui, e.type, e.detail],
      );
    }
    if (batch.deadLetters.length > 0) {
      const dl = batch.deadLetters;
      await tx.query(
        `INSERT INTO dead_letters (topic, payload, reason, detail, dev_eui, fingerprint)
         SELECT t, decode(p, 'hex'), r, d, e, f
           FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[]) AS x(t, p, r, d, e, f)
         ON CONFLICT (fingerprint) DO NOTHING`,
        [
          dl.map((x) => x.topic),
          dl.map((x) => Buffer.from(x.payload).toString('hex')),
          dl.map((x) => x.reason),
          dl.map((x) => x.detail),
          dl.map((x) => x.devEui),
          dl.map((x) => createHash('md5').update(x.topic).update(x.payload).digest('hex')),
        ],
      );
    }
  });
}
