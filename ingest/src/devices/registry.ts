import { findCodec } from '../codecs/index.ts';
import type { NormaliseContext } from '../contract/codec.ts';
import type { Db, Queryable } from '../store/db.ts';
import { textArray } from '../store/pg-arrays.ts';

export interface DeviceRecord {
  devEui: string;
  model: string;
  name: string;
  applicationId: string;
  objectNumber: string | null;
  settings: NormaliseContext;
}

export interface DeviceRow extends DeviceRecord {
  createdAt: Date;
  lastSeen: Date | null;
  fCnt: number | null;
  rssi: number | null;
  snr: number | null;
  battery: number | null;
  margin: number | null;
}

/** What the registry's cache holds of a device. */
const RECORD_COLUMNS = `dev_eui AS "devEui", model, name, application_id AS "applicationId",
  object_number AS "objectNumber", settings`;
const COLUMNS = `${RECORD_COLUMNS}, created_at AS "createdAt", last_seen AS "lastSeen", f_cnt::float8 AS "fCnt",
  rssi, snr, battery, margin`;

/** How long an unknown devEui stays known-unknown before the database is asked again. */
const NEGATIVE_TTL_MS = 10_000;

/** Cache misses asked in one query. */
interface Lookup {
  devEuis: Set<string>;
  found: Promise<Map<string, DeviceRecord>>;
}

/**
 * The device registry with an in-memory cache, so the per-uplink lookup is a Map read.
 * Other processes (a second ingest replica, the API) may change devices; `refresh()` pulls
 * rows changed since the last look, and a cache miss asks the database before giving up.
 */
export class DeviceRegistry {
  private readonly cache = new Map<string, DeviceRecord>();
  private readonly unknownUntil = new Map<string, number>();
  private seenUpTo = new Date(0);
  /** The query being answered, and the misses that wait for the next one. */
  private current: Promise<unknown> = Promise.resolve();
  private next: Lookup | undefined;

  constructor(private readonly db: Db) {}

  async load(): Promise<void> {
    await this.refresh();
  }

  async refresh(): Promise<void> {
    const { rows } = await this.db.query<DeviceRecord & { updatedAt: Date }>(
      `SELECT ${RECORD_COLUMNS}, updated_at AS "updatedAt" FROM devices WHERE updated_at >= $1 ORDER BY updated_at`,
      [this.seenUpTo],
    );
    for (const { updatedAt, ...record } of rows) {
      this.remember(record);
      if (updatedAt > this.seenUpTo) this.seenUpTo = updatedAt;
    }
  }

  get(devEui: string): DeviceRecord | undefined {
    return this.cache.get(devEui);
  }

  get size(): number {
    return this.cache.size;
  }

  /** Cache first, then the database; undefined when the device is not registered anywhere. */
  async resolve(devEui: string): Promise<DeviceRecord | undefined> {
    const cached = this.cache.get(devEui);
    if (cached) return cached;
    const until = this.unknownUntil.get(devEui);
    if (until !== undefined && until > Date.now()) return undefined;
    const row = (await this.lookup(devEui)).get(devEui);
    if (!row) {
      this.unknownUntil.set(devEui, Date.now() + NEGATIVE_TTL_MS);
      return undefined;
    }
    this.remember(row);
    return row;
  }

  /**
   * Misses are asked together: while one query is out, the misses that arrive wait for the
   * next, which asks for all of them. A fleet the cache has not seen yet (a new roll-out of
   * zero-touch devices) thus costs a few queries, not one round trip per device.
   */
  private lookup(devEui: string): Promise<Map<string, DeviceRecord>> {
    if (!this.next) {
      const devEuis = new Set<string>();
      const found = this.current.then(() => {
        this.next = undefined;
        return findDevices(this.db, [...devEuis]);
      });
      this.next = { devEuis, found };
      this.current = found.catch(() => {});
    }
    this.next.devEuis.add(devEui);
    return this.next.found;
  }

  remember(record: DeviceRecord): void {
    this.unknownUntil.delete(record.devEui);
    this.cache.set(record.devEui, {
      devEui: record.devEui,
      model: record.model,
      name: record.name,
      applicationId: record.applicationId,
      objectNumber: record.objectNumber,
      settings: record.settings ?? {},
    });
  }
}

export class DeviceInputError extends Error {}

export interface NewDevice {
  devEui: string;
  model: string;
  name?: string;
  applicationId?: string;
  objectNumber?: string | null;
  settings?: NormaliseContext;
}

/** Creates or replaces a device registration; the model must be one a codec implements. */
export async function upsertDevice(db: Queryable, input: NewDevice): Promise<DeviceRow> {
  if (!findCodec(input.model)) throw new DeviceInputError(`unknown model "${input.model}"`);
  const { rows } = await db.query<DeviceRow>(
    `INSERT INTO devices (dev_eui, model, name, application_id, object_number, settings)
     VALUES ($1, $2, $3, $4, $5, $6)
     ON CONFLICT (dev_eui) DO UPDATE SET model = excluded.model, name = excluded.name,
       application_id = excluded.application_id, object_number = excluded.object_number,
       settings = excluded.settings, updated_at = now()
     RETURNING ${COLUMNS}`,
    [
      input.devEui.toLowerCase(),
      input.model,
      input.name ?? '',
      input.applicationId ?? '',
      input.objectNumber ?? null,
      JSON.stringify(input.settings ?? {}),
    ],
  );
  return rows[0] as DeviceRow;
}

export type DevicePatch = Partial<Omit<NewDevice, 'devEui'>>;

const PATCHABLE: Record<keyof DevicePatch, string> = {
  model: 'model',
  name: 'name',
  applicationId: 'application_id',
  objectNumber: 'object_number',
  settings: 'settings',
};

export async function patchDevice(db: Queryable, devEui: string, patch: DevicePatch): Promise<DeviceRow | undefined> {
  if (patch.model !== undefined && !findCodec(patch.model))
    throw new DeviceInputError(`unknown model "${patch.model}"`);
  const sets: string[] = [];
  const values: unknown[] = [devEui.toLowerCase()];
  for (const [key, column] of Object.entries(PATCHABLE) as [keyof DevicePatch, string][]) {
    if (patch[key] === undefined) continue;
    values.push(key === 'settings' ? JSON.stringify(patch[key]) : patch[key]);
    sets.push(`${column} = $${values.length}`);
  }
  if (sets.length === 0) return getDevice(db, devEui);
  const { rows } = await db.query<DeviceRow>(
    `UPDATE devices SET ${sets.join(', ')}, updated_at = now() WHERE dev_eui = $1 RETURNING ${COLUMNS}`,
    values,
  );
  return rows[0];
}

async function findDevices(db: Queryable, devEuis: string[]): Promise<Map<string, DeviceRecord>> {
  const { rows } = await db.query<DeviceRecord>(
    `SELECT ${RECORD_COLUMNS} FROM devices WHERE dev_eui = ANY($1::text[])`,
    [textArray(devEuis)],
  );
  return new Map(rows.map((r) => [r.devEui, r]));
}

export async function getDevice(db: Queryable, devEui: string): Promise<DeviceRow | undefined> {
  const { rows } = await db.query<DeviceRow>(`SELECT ${COLUMNS} FROM devices WHERE dev_eui = $1`, [
    devEui.toLowerCase(),
  ]);
  return rows[0];
}

export interface DeviceFilter {
  model?: string;
  objectNumber?: string;
  limit: number;
  offset: number;
}

export async function listDevices(db: Queryable, f: DeviceFilter): Promise<DeviceRow[]> {
  const { rows } = await db.query<DeviceRow>(
    `SELECT ${COLUMNS} FROM devices
      WHERE ($1::text IS NULL OR model = $1) AND ($2::text IS NULL OR object_number = $2)
      ORDER BY dev_eui LIMIT $3 OFFSET $4`,
    [f.model ?? null, f.objectNumber ?? null, f.limit, f.offset],
  );
  return rows;
}
