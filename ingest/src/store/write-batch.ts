import type { BatchRows } from './batch-rows.ts';
import type { Db } from './db.ts';
import { insertDeadLetters } from './dead-letters-table.ts';
import { insertDeviceEvents } from './device-events-table.ts';
import { insertNewDevices } from './devices-table.ts';
import { copyReadings } from './readings-table.ts';
import { copyUplinks } from './uplinks-table.ts';

/**
 * Commits one batch in one transaction, idempotently: a replayed uplink, event or dead letter
 * is a no-op. The two big tables, uplinks and readings, are written with COPY, faster than
 * any INSERT (pnpm bench ingest measures the strategies); the small ones with one
 * `INSERT ... SELECT FROM unnest(...) ON CONFLICT DO NOTHING` each, every column an array
 * parameter.
 */
export async function writeBatch(db: Db, rows: BatchRows): Promise<void> {
  await db.transaction(async (tx) => {
    await insertNewDevices(tx, rows.newDevices);
    await copyUplinks(tx, rows.uplinks);
    await copyReadings(tx, rows.readings);
    await insertDeviceEvents(tx, rows.events);
    await insertDeadLetters(tx, rows.deadLetters);
  });
}
