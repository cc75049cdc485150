import { createHash } from 'node:crypto';
import { type Batch, READING_COLUMNS, UPLINK_COLUMNS } from '../pipeline/batch.ts';
import type { CopyRows } from './copy-text.ts';
import type { Db, Transaction } from './db.ts';
import { numberArray as nums, textArray as texts } from './pg-arrays.ts';

/**
 * Commits one batch in one transaction, idempotently: a replayed uplink, event or dead letter
 * is a no-op. The two big tables, uplinks and readings, are written with COPY, faster than
 * any INSERT (pnpm bench ingest measures the strategies); the small ones with one
 * `INSERT ... SELECT FROM unnest(...) ON CONFLICT DO NOTHING` each, every column an array
 * parameter.
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
    await copyRows(tx, 'uplinks', UPLINK_COLUMNS, batch.uplinks);
    await copyRows(tx, 'readings', READING_COLUMNS, batch.readings);
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

/**
 * COPY into the keyed table, in a savepoint. COPY cannot skip duplicates, so when the batch
 * holds a replay, the key stops it; the same rows then go through a scratch table and an
 * `INSERT ... ON CONFLICT DO NOTHING`.
 */
async function copyRows(tx: Transaction, table: string, columns: string, rows: CopyRows): Promise<void> {
  if (rows.count === 0) return;
  await tx.query('SAVEPOINT batch_copy');
  try {
    await tx.copyFrom(`${table} (${columns})`, rows.bytes);
    await tx.query('RELEASE SAVEPOINT batch_copy');
    return;
  } catch (err) {
    if ((err as { code?: string }).code !== UNIQUE_VIOLATION) throw err;
    await tx.query('ROLLBACK TO SAVEPOINT batch_copy');
  }
  const scratch = `replayed_${table}`;
  await tx.query(`CREATE TEMP TABLE ${scratch} (LIKE ${table}) ON COMMIT DROP`);
  await tx.copyFrom(`${scratch} (${columns})`, rows.bytes);
  await tx.query(`INSERT INTO ${table} (${columns}) SELECT ${columns} FROM ${scratch} ON CONFLICT DO NOTHING`);
}
