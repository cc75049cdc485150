import { createHash } from 'node:crypto';
import type { Batch } from '../pipeline/batch.ts';
import { type CopyValue, copyText } from './copy-text.ts';
import type { Db, Queryable } from './db.ts';
import { numberArray as nums, textArray as texts } from './pg-arrays.ts';

/**
 * Commits one batch in one transaction, idempotently: a replayed uplink, event or dead letter
 * is a no-op. Each table gets one `INSERT ... SELECT FROM unnest(...)` with every column as an
 * array parameter and `ON CONFLICT DO NOTHING` on the natural key. The two big tables, uplinks
 * and readings, are first tried with COPY, about twice as fast (pnpm bench ingest measures
 * both), inside a savepoint: COPY cannot skip duplicates, so when the batch holds a replay
 * the COPY fails on the key and the idempotent INSERT runs instead.
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
      const times = u.map((x) => x.timeMs);
      const columns: CopyValue[][] = [
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
      ];
      await copyOrInsert(
        tx,
        'uplinks (time, dev_eui, f_cnt, f_port, dedup_id, dev_addr, dr, frequency, rssi, snr, gateway_id, gateways)',
        () => copyText([isoTimes(times), ...columns]),
        `SELECT to_timestamp(t / 1000.0), e, f, p, i, a, d, q, r, s, g, n
           FROM unnest($1::float8[], $2::text[], $3::int8[], $4::int4[], $5::text[], $6::text[], $7::int2[],
                       $8::int8[], $9::float4[], $10::float4[], $11::text[], $12::int2[])
             AS x(t, e, f, p, i, a, d, q, r, s, g, n)`,
        () => [
          nums(times),
          texts(columns[0] as string[]),
          nums(columns[1] as number[]),
          nums(columns[2] as number[]),
          texts(columns[3] as string[]),
          texts(columns[4] as string[]),
          nums(columns[5] as number[]),
          nums(columns[6] as number[]),
          nums(columns[7] as (number | null)[]),
          nums(columns[8] as (number | null)[]),
          texts(columns[9] as (string | null)[]),
          nums(columns[10] as number[]),
        ],
      );
    }
    if (batch.readingCount > 0) {
      const r = batch.readings;
      await copyOrInsert(
        tx,
        'readings (time, dev_eui, object_number, metric, value)',
        () => copyText([isoTimes(r.timeMs), r.devEui, r.objectNumber, r.metric, r.value]),
        `SELECT to_timestamp(t / 1000.0), e, o, m, v
           FROM unnest($1::float8[], $2::text[], $3::text[], $4::text[], $5::float8[]) AS x(t, e, o, m, v)`,
        () => [nums(r.timeMs), texts(r.devEui), texts(r.objectNumber), texts(r.metric), nums(r.value)],
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

const UNIQUE_VIOLATION = '23505';

/** COPY where the connection can (PostgreSQL), falling back to the idempotent INSERT on a duplicate key. */
async function copyOrInsert(
  tx: Queryable,
  target: string,
  copyRows: () => string,
  select: string,
  params: () => unknown[],
): Promise<void> {
  if (tx.copyIn) {
    await tx.query('SAVEPOINT batch_copy');
    try {
      await tx.copyIn(`COPY ${target} FROM STDIN`, copyRows());
      await tx.query('RELEASE SAVEPOINT batch_copy');
      return;
    } catch (err) {
      if ((err as { code?: string }).code !== UNIQUE_VIOLATION) throw err;
      await tx.query('ROLLBACK TO SAVEPOINT batch_copy');
    }
  }
  await tx.query(`INSERT INTO ${target} ${select} ON CONFLICT DO NOTHING`, params());
}

/** ISO times for COPY; the readings of one uplink share a time, so each is formatted once. */
function isoTimes(times: readonly number[]): string[] {
  let lastMs = Number.NaN;
  let lastIso = '';
  return times.map((ms) => {
    if (ms !== lastMs) {
      lastMs = ms;
      lastIso = new Date(ms).toISOString();
    }
    return lastIso;
  });
}
