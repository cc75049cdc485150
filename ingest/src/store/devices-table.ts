import type { NormaliseContext } from '../contract/codec.ts';
import type { Device, DeviceQuery } from '../contract/http-api.ts';
import type { Queryable } from './db.ts';
import { isoTime } from './iso-time.ts';
import { textArray as texts } from './pg-arrays.ts';

/** A device as ingest needs it to decode and store its uplinks. */
export interface DeviceRecord {
  devEui: string;
  model: string;
  name: string;
  applicationId: string;
  objectNumber: string | null;
  settings: NormaliseContext;
}

/**
 * A whole `devices` row as the API answers with it (the contract's `Device`): the registration
 * and the figures of the device's last uplinks.
 */
export type DeviceRow = Device;

/** A device's latest figures, as merged since the last write. */
export interface DeviceLatest {
  timeMs: number;
  fCnt: number | null;
  rssi: number | null;
  snr: number | null;
  battery: number | null;
  margin: number | null;
}

const RECORD_COLUMNS = `dev_eui AS "devEui", model, name, application_id AS "applicationId",
  object_number AS "objectNumber", settings`;
const COLUMNS = `${RECORD_COLUMNS}, ${isoTime('created_at')} AS "createdAt", ${isoTime('last_seen')} AS "lastSeen",
  f_cnt::float8 AS "fCnt", rssi, snr, battery, margin`;

const CHANGEABLE: Record<keyof Omit<DeviceRecord, 'devEui'>, string> = {
  model: 'model',
  name: 'name',
  applicationId: 'application_id',
  objectNumber: 'object_number',
  settings: 'settings',
};

/** Devices changed at or after `since`, oldest change first. */
export async function devicesUpdatedSince(db: Queryable, since: Date): Promise<(DeviceRecord & { updatedAt: Date })[]> {
  const { rows } = await db.query<DeviceRecord & { updatedAt: Date }>(
    `SELECT ${RECORD_COLUMNS}, updated_at AS "updatedAt" FROM devices WHERE updated_at >= $1 ORDER BY updated_at`,
    [since],
  );
  return rows;
}

export async function findDevices(db: Queryable, devEuis: string[]): Promise<Map<string, DeviceRecord>> {
  const { rows } = await db.query<DeviceRecord>(
    `SELECT ${RECORD_COLUMNS} FROM devices WHERE dev_eui = ANY($1::text[])`,
    [texts(devEuis)],
  );
  return new Map(rows.map((r) => [r.devEui, r]));
}

export async function getDevice(db: Queryable, devEui: string): Promise<DeviceRow | undefined> {
  const { rows } = await db.query<DeviceRow>(`SELECT ${COLUMNS} FROM devices WHERE dev_eui = $1`, [
    devEui.toLowerCase(),
  ]);
  return rows[0];
}

export async function listDevices(db: Queryable, f: DeviceQuery): Promise<DeviceRow[]> {
  const { rows } = await db.query<DeviceRow>(
    `SELECT ${COLUMNS} FROM devices
      WHERE ($1::text IS NULL OR model = $1) AND ($2::text IS NULL OR object_number = $2)
      ORDER BY dev_eui LIMIT $3 OFFSET $4`,
    [f.model ?? null, f.objectNumber ?? null, f.limit, f.offset],
  );
  return rows;
}

/** Creates or replaces a registration; the figures of an existing device are kept. */
export async function upsertDeviceRow(db: Queryable, d: DeviceRecord): Promise<DeviceRow> {
  const { rows } = await db.query<DeviceRow>(
    `INSERT INTO devices (dev_eui, model, name, application_id, object_number, settings)
     VALUES ($1, $2, $3, $4, $5, $6)
     ON CONFLICT (dev_eui) DO UPDATE SET model = excluded.model, name = excluded.name,
       application_id = excluded.application_id, object_number = excluded.object_number,
       settings = excluded.settings, updated_at = now()
     RETURNING ${COLUMNS}`,
    [d.devEui.toLowerCase(), d.model, d.name, d.applicationId, d.objectNumber, JSON.stringify(d.settings)],
  );
  return rows[0] as DeviceRow;
}

/** Changes the given fields of a registration; undefined when the device is not registered. */
export async function updateDeviceRow(
  db: Queryable,
  devEui: string,
  changes: Partial<Omit<DeviceRecord, 'devEui'>>,
): Promise<DeviceRow | undefined> {
  const sets: string[] = [];
  const values: unknown[] = [devEui.toLowerCase()];
  for (const [key, column] of Object.entries(CHANGEABLE) as [keyof typeof CHANGEABLE, string][]) {
    if (changes[key] === undefined) continue;
    values.push(key === 'settings' ? JSON.stringify(changes[key]) : changes[key]);
    sets.push(`${column} = $${values.length}`);
  }
  if (sets.length === 0) return getDevice(db, devEui);
  const { rows } = await db.query<DeviceRow>(
    `UPDATE devices SET ${sets.join(', ')}, updated_at = now() WHERE dev_eui = $1 RETURNING ${COLUMNS}`,
    values,
  );
  return rows[0];
}

/** Registers devices adopted from their uplinks; a device registered meanwhile keeps its registration. */
export async function insertNewDevices(db: Queryable, d: readonly DeviceRecord[]): Promise<void> {
  if (d.length === 0) return;
  await db.query(
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

/**
 * Writes devices' latest figures in one statement. A figure a device did not report keeps its
 * stored value, and figures older than the stored last-seen (another process wrote newer ones) are
 * not written.
 */
export async function updateDeviceState(db: Queryable, latest: ReadonlyMap<string, DeviceLatest>): Promise<void> {
  const cols = { e: [] as string[], t: [] as number[], f: [] as (number | null)[], r: [] as (number | null)[] };
  const more = { s: [] as (number | null)[], b: [] as (number | null)[], m: [] as (number | null)[] };
  for (const [devEui, l] of latest) {
    cols.e.push(devEui);
    cols.t.push(l.timeMs);
    cols.f.push(l.fCnt);
    cols.r.push(l.rssi);
    more.s.push(l.snr);
    more.b.push(l.battery);
    more.m.push(l.margin);
  }
  await db.query(
    `UPDATE devices d SET
       last_seen = to_timestamp(u.t / 1000.0),
       f_cnt = coalesce(u.f, d.f_cnt), rssi = coalesce(u.r, d.rssi), snr = coalesce(u.s, d.snr),
       battery = coalesce(u.b, d.battery), margin = coalesce(u.m, d.margin)
     FROM unnest($1::text[], $2::float8[], $3::float8[], $4::float8[], $5::float8[], $6::float8[], $7::float8[])
       AS u(e, t, f, r, s, b, m)
     WHERE d.dev_eui = u.e AND (d.last_seen IS NULL OR d.last_seen <= to_timestamp(u.t / 1000.0))`,
    [cols.e, cols.t, cols.f, cols.r, more.s, more.b, more.m],
  );
}

/** What the twin's live state keeps of a device: its model, its object, when it last spoke. */
export interface DeviceStatus {
  devEui: string;
  model: string;
  objectNumber: string | null;
  /** Epoch ms of its last uplink or status event, null before the first. */
  lastSeenMs: number | null;
  updatedAt: Date;
}

/**
 * Devices whose registration changed at or after `since` (everything from the epoch), oldest
 * change first. A new uplink moves `last_seen`, not `updated_at`: a reader polling for binding
 * changes learns last-seen from the readings themselves.
 */
export async function deviceStatusesSince(db: Queryable, since: Date): Promise<DeviceStatus[]> {
  const { rows } = await db.query<DeviceStatus>(
    `SELECT dev_eui AS "devEui", model, object_number AS "objectNumber",
            (extract(epoch FROM last_seen) * 1000)::float8 AS "lastSeenMs", updated_at AS "updatedAt"
       FROM devices WHERE updated_at >= $1 ORDER BY updated_at`,
    [since],
  );
  return rows;
}
