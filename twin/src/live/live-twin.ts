import {
  CODECS,
  type Db,
  type DeviceStatus,
  deviceStatusesSince,
  devicesUnboundSince,
  latestReadings,
  latestReadingsPerObject,
  type Reading,
} from '@city/ingest';
import type { Logger } from 'pino';
import type { DistrictAggregates, ObjectLiveState } from '../contract/live.ts';
import type { ObjectLookup } from '../objects/object-record.ts';
import { DistrictAggregator } from './district-aggregates.ts';
import { LiveState } from './live-state.ts';
import type { ReadingsSource } from './readings-source.ts';

export interface LiveTwinOptions {
  db: Db;
  objects: ObjectLookup;
  /** Committed readings as they come; without one the state is what the database held at start. */
  readings?: ReadingsSource | undefined;
  log: Logger;
  /** How far back the start reads the newest values (LIVE_LOOKBACK_H). */
  lookbackHours?: number;
  /** How often device registrations (bindings, models) are read again. */
  refreshMs?: number;
}

/** Devices read per query of the rebuild. */
const REBUILD_PAGE = 5000;
const DEFAULT_LOOKBACK_HOURS = 48;
const DEFAULT_REFRESH_MS = 5000;
const REFRESH_OVERLAP_MS = 30_000;

/** Every (model, metric) a device can report: its codec's metrics, and battery from status events. */
const MODEL_METRICS = CODECS.flatMap((codec) =>
  [...new Set([...codec.metrics, 'battery'])].map((metric) => ({ model: codec.model, metric })),
);

/**
 * The twin's live state in a running server: started from the database, kept current by the
 * committed readings of `readings`, and by the device registry for bindings (read again every
 * `refreshMs`: a binding changed in another process shows here within that time, one changed by
 * this process at once).
 *
 * The start subscribes first and reads the database after (devices, then their newest values),
 * applying both as they come: readings committed meanwhile arrive twice at worst, and the live
 * state's merge makes that harmless.
 */
export class LiveTwin {
  readonly state: LiveState;
  private readonly aggregator: DistrictAggregator;
  private stopListening: () => Promise<void> = async () => {};
  private timer: NodeJS.Timeout | undefined;
  private seenUpTo = new Date(0);
  private refreshing: Promise<void> | undefined;
  /** How the last start went: rows read from the database and how long it took. */
  rebuilt = { rows: 0, ms: 0 };

  private constructor(private readonly opts: LiveTwinOptions) {
    this.state = new LiveState({ objects: opts.objects });
    this.aggregator = new DistrictAggregator(this.state, opts.objects);
  }

  static async start(opts: LiveTwinOptions): Promise<LiveTwin> {
    const twin = new LiveTwin(opts);
    // Listening first: a device adopted after the devices are read has readings committed after
    // the subscription only, which arrive here.
    if (opts.readings) twin.stopListening = await opts.readings.listen((readings) => twin.state.apply(readings));
    try {
      await twin.rebuild(await twin.refreshDevices());
    } catch (err) {
      await twin.stopListening();
      throw err;
    }
    twin.timer = setInterval(() => {
      twin
        .refreshDevices()
        .catch((err: Error) => opts.log.warn({ err: err.message }, 'live state: device refresh failed'));
    }, opts.refreshMs ?? DEFAULT_REFRESH_MS);
    twin.timer.unref();
    return twin;
  }

  /** Takes committed readings (what the readings source calls; the bench calls it directly). */
  apply(readings: readonly Reading[]): void {
    this.state.apply(readings);
  }

  objectState(number: string): ObjectLiveState | undefined {
    return this.state.objectState(number);
  }

  aggregates(): DistrictAggregates {
    return this.aggregator.aggregates();
  }

  /**
   * Reads the device registry now rather than at the next refresh: a device adopted a moment ago
   * (zero-touch) has readings before this process's state knows its model. Calls made while one
   * read is running share it.
   */
  refreshNow(): Promise<void> {
    this.refreshing ??= this.refreshDevices()
      .then(() => undefined)
      .finally(() => {
        this.refreshing = undefined;
      });
    return this.refreshing;
  }

  /** A device whose registration this process just changed (a binding route): in the state at once. */
  deviceChanged(device: Pick<DeviceStatus, 'devEui' | 'model' | 'objectNumber' | 'lastSeenMs'>): void {
    this.state.setDevice(device);
  }

  async close(): Promise<void> {
    clearInterval(this.timer);
    await this.stopListening();
  }

  /**
   * Devices registered or changed since the last look; returns them. A row's `updated_at` is its
   * transaction's start, so one that committed late may be older than rows seen already: the look
   * reaches back REFRESH_OVERLAP_MS before the newest seen, which costs a few rows read twice.
   */
  private async refreshDevices(): Promise<DeviceStatus[]> {
    const since = new Date(Math.max(0, this.seenUpTo.getTime() - REFRESH_OVERLAP_MS));
    const devices = await deviceStatusesSince(this.opts.db, since);
    for (const device of devices) {
      this.state.setDevice(device);
      if (device.updatedAt > this.seenUpTo) this.seenUpTo = device.updatedAt;
    }
    return devices;
  }

  /** The newest value of every (object, metric) within the look-back, from the readings table. */
  private async rebuild(devices: readonly DeviceStatus[]): Promise<void> {
    const started = performance.now();
    const { db } = this.opts;
    const since = new Date(Date.now() - (this.opts.lookbackHours ?? DEFAULT_LOOKBACK_HOURS) * 3_600_000);
    // A device not seen since `since` has no reading since then (its last-seen is its newest uplink's time).
    const devEuis = devices
      .filter((d) => d.lastSeenMs === null || d.lastSeenMs >= since.getTime())
      .map((d) => d.devEui);
    let rows = 0;
    for (let i = 0; i < devEuis.length; i += REBUILD_PAGE) {
      const page = await latestReadings(db, {
        since,
        modelMetrics: MODEL_METRICS,
        devEuis: devEuis.slice(i, i + REBUILD_PAGE),
      });
      this.state.apply(page);
      rows += page.length;
    }
    const moved = await devicesUnboundSince(db, since);
    for (let i = 0; i < moved.length; i += REBUILD_PAGE) {
      const page = await latestReadingsPerObject(db, { since, devEuis: moved.slice(i, i + REBUILD_PAGE) });
      this.state.apply(page);
      rows += page.length;
    }
    this.rebuilt = { rows, ms: performance.now() - started };
    this.opts.log.info(
      { rows, ms: Math.round(this.rebuilt.ms), objects: this.state.objectCount, devices: this.state.deviceCount },
      'live state rebuilt from the database',
    );
  }
}
