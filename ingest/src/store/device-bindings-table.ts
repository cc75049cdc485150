import type { BindingReason } from '../contract/binding-reasons.ts';
import type { Db, Queryable } from './db.ts';
import { type DeviceRow, updateDeviceRow } from './devices-table.ts';
import { isoTime } from './iso-time.ts';
import { textArray } from './pg-arrays.ts';

/** One binding of a device to an object, open while `unboundAt` is null. */
export interface BindingRow {
  devEui: string;
  objectNumber: string;
  boundAt: string;
  boundBy: string | null;
  boundReason: BindingReason;
  unboundAt: string | null;
  unboundBy: string | null;
  unboundReason: BindingReason | null;
}

const COLUMNS = `dev_eui AS "devEui", object_number AS "objectNumber", ${isoTime('bound_at')} AS "boundAt",
  bound_by AS "boundBy", bound_reason AS "boundReason", ${isoTime('unbound_at')} AS "unboundAt",
  unbound_by AS "unboundBy", unbound_reason AS "unboundReason"`;

/** A device's bindings, newest first. */
export async function deviceBindings(db: Queryable, devEui: string, limit: number): Promise<BindingRow[]> {
  const { rows } = await db.query<BindingRow>(
    `SELECT ${COLUMNS} FROM device_bindings WHERE dev_eui = $1 ORDER BY bound_at DESC, id DESC LIMIT $2`,
    [devEui.toLowerCase(), limit],
  );
  return rows;
}

/** The bindings of the devices that were ever on an object (under any of `numbers`, its spellings), newest first. */
export async function objectBindings(db: Queryable, numbers: readonly string[], limit: number): Promise<BindingRow[]> {
  const { rows } = await db.query<BindingRow>(
    `SELECT ${COLUMNS} FROM device_bindings WHERE object_number = ANY($1::text[])
      ORDER BY bound_at DESC, id DESC LIMIT $2`,
    [textArray(numbers), limit],
  );
  return rows;
}

/** Devices that left an object at or after `since`: their readings there may be newer than anything since. */
export async function devicesUnboundSince(db: Queryable, since: Date): Promise<string[]> {
  const { rows } = await db.query<{ devEui: string }>(
    'SELECT DISTINCT dev_eui AS "devEui" FROM device_bindings WHERE unbound_at >= $1',
    [since],
  );
  return rows.map((r) => r.devEui);
}

/**
 * Binds a device to an object, moves it, or unbinds it (`objectNumber` null), saying who and
 * why: the trigger that keeps the history reads both from the transaction's settings. Undefined
 * when the device is not registered.
 */
export function changeBinding(
  db: Db,
  devEui: string,
  objectNumber: string | null,
  by: { actor: string | null; reason: BindingReason },
): Promise<DeviceRow | undefined> {
  return db.transaction(async (tx) => {
    await tx.query("SELECT set_config('city.actor', $1, true), set_config('city.binding_reason', $2, true)", [
      by.actor ?? '',
      by.reason,
    ]);
    return updateDeviceRow(tx, devEui, { objectNumber });
  });
}
