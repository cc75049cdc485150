import { createHash } from 'node:crypto';
import type { Batch } from '../pipeline/batch.ts';
import type { Db } from './db.ts';
import { numberArray as nums, textArray as texts } from './pg-arrays.ts';

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
          texts(d.map((x) => x.devEui)),
          texts(d.map((x) => x.model)),
          texts(d.map((x) => x.name)),
          texts(d.map((x) => x.applicationId)),
          texts(d.map((x) => x.objectNumber)),
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
          nums(u.map((x) => x.timeMs)),
          texts(u.map((x) => x.devEui)),
          nums(u.map((x) => x.fCnt)),
          nums(u.map((x) => x.fPort)),
          texts(u.map((x) => x.dedupId)),
          texts(u.map((x) => x.devAddr)),
          nums(u.map((x) => x.dr)),
          nums(u.map((x) => x.frequency)),
          nums(u.map((x) => x.rssi)),
          nums(u.map((x) => x.snr)),
          texts(u.map((x) => x.gatewayId)),
          nums(u.map((x) => x.gateways)),
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
        [nums(r.timeMs), texts(r.devEui), texts(r.objectNumber), texts(r.metric), nums(r.value)],
      );
    }
    if (batch.events.type.length > 0) {
      const e = batch.events;
      await tx.query(
        `INSERT INTO device_events (time, dev_eui, type, detail)
         SELECT to_timestamp(t / 1000.0), e, y, d::jsonb
           FROM unnest($1::float8[], $2::text[], $3::text[], $4::text[]) AS x(t, e, y, d)
         ON CONFLICT DO NOTHING`,
        [nums(e.timeMs), texts(e.devEui), texts(e.type), texts(e.detail)],
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
          texts(dl.map((x) => x.topic)),
          texts(dl.map((x) => Buffer.from(x.payload).toString('hex'))),
          texts(dl.map((x) => x.reason)),
          texts(dl.map((x) => x.detail)),
          texts(dl.map((x) => x.devEui)),
          texts(dl.map((x) => createHash('md5').update(x.topic).update(x.payload).digest('hex'))),
        ],
      );
    }
  });
}
