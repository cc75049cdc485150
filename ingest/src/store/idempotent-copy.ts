import type { CopyRows } from './copy-text.ts';
import type { Transaction } from './db.ts';

const UNIQUE_VIOLATION = '23505';

/**
 * COPY into the keyed table, in a savepoint. COPY cannot skip duplicates, so when the batch
 * holds a replay, the key stops it; the same rows then go through a scratch table and an
 * `INSERT ... ON CONFLICT DO NOTHING`.
 */
export async function idempotentCopy(tx: Transaction, table: string, columns: string, rows: CopyRows): Promise<void> {
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
