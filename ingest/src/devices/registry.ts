import { findCodec } from '../codecs/index.ts';
import type { DevicePatch, NewDevice } from '../contract/http-api.ts';
import type { Db, Queryable } from '../store/db.ts';
import {
  type DeviceRecord,
  type DeviceRow,
  devicesUpdatedSince,
  findDevices,
  updateDeviceRow,
  upsertDeviceRow,
} from '../store/devices-table.ts';

/** How long an unknown devEui stays known-unknown before the database is asked again. */
const NEGATIVE_TTL_MS = 10_000;
/**
 * Most unknown devEuis remembered: a flood of made-up devEuis must not grow memory. Past it the
 * oldest are forgotten, which costs a flood one more lookup per devEui, in a batched query.
 */
const NEGATIVE_MAX = 10_000;
const HOUR_MS = 3_600_000;

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
  /** Zero-touch adoptions left, a bucket refilled at `adoptPerHour` an hour. */
  private adoptions: number;
  private adoptionsAt = Date.now();

  /** `adoptPerHour` bounds zero-touch registration (ADOPT_PER_HOUR); unbounded by default. */
  constructor(
    private readonly db: Db,
    private readonly adoptPerHour = Number.POSITIVE_INFINITY,
  ) {
    this.adoptions = adoptPerHour;
  }

  async load(): Promise<void> {
    await this.refresh();
  }

  async refresh(): Promise<void> {
    for (const { updatedAt, ...record } of await devicesUpdatedSince(this.db, this.seenUpTo)) {
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
      this.unknownUntil.delete(devEui);
      if (this.unknownUntil.size >= NEGATIVE_MAX) {
        // A Map iterates in insertion order: the first key is the oldest.
        for (const oldest of this.unknownUntil.keys()) {
          this.unknownUntil.delete(oldest);
          break;
        }
      }
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

  /** Unknown devEuis remembered (bounded by NEGATIVE_MAX). */
  get unknownSize(): number {
    return this.unknownUntil.size;
  }

  /**
   * Takes one zero-touch adoption from the hourly allowance; false when it is spent. A roll-out
   * of a city's devices adopts thousands at once, so the allowance is a bucket (that many at
   * once, refilled over the hour) rather than a rate per second.
   */
  takeAdoption(): boolean {
    if (this.adoptPerHour === Number.POSITIVE_INFINITY) return true;
    const now = Date.now();
    this.adoptions = Math.min(
      this.adoptPerHour,
      this.adoptions + ((now - this.adoptionsAt) * this.adoptPerHour) / HOUR_MS,
    );
    this.adoptionsAt = now;
    if (this.adoptions < 1) return false;
    this.adoptions--;
    return true;
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

/** Creates or replaces a device registration; the model must be one a codec implements. */
export async function upsertDevice(db: Queryable, input: NewDevice): Promise<DeviceRow> {
  checkModel(input.model);
  return upsertDeviceRow(db, {
    devEui: input.devEui,
    model: input.model,
    name: input.name ?? '',
    applicationId: input.applicationId ?? '',
    objectNumber: input.objectNumber ?? null,
    settings: input.settings ?? {},
  });
}

export async function patchDevice(db: Queryable, devEui: string, patch: DevicePatch): Promise<DeviceRow | undefined> {
  if (patch.model !== undefined) checkModel(patch.model);
  return updateDeviceRow(db, devEui, patch);
}

function checkModel(model: string): void {
  if (!findCodec(model)) throw new DeviceInputError(`unknown model "${model}"`);
}
