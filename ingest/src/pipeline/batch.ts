import type { MetricValue } from '../contract/codec.ts';
import type { Reading } from '../contract/reading.ts';
import type { SpoolRefs } from '../spool/spool.ts';
import { BatchRows } from '../store/batch-rows.ts';
import type { DeviceRecord } from '../store/devices-table.ts';
import type { UplinkMeta } from '../store/uplinks-table.ts';
import { ReceivedFrames } from './received-frames.ts';

/**
 * The frames taken between two commits: the rows of their database write, and what follows the
 * commit (readings published, spool segments released).
 */
export class Batch {
  frames = 0;
  readonly rows = new BatchRows();
  /**
   * The batch's values as objects, radio figures included, for the listeners of committed
   * readings; collected only while there are listeners.
   */
  published: Reading[] | undefined;
  /** Spool segments holding this batch's frames, released once it is committed. */
  readonly spooled: SpoolRefs = new Map();
  /** The frames as received, to build the batch again in parts if the database refuses it. */
  readonly received: ReceivedFrames;

  /** `received`: an emptied one of a committed batch, to reuse its buffer, or one on the pipeline's spool. */
  constructor(received = new ReceivedFrames()) {
    this.received = received;
  }

  /** Collects the values of the frames added from now on as `published`. */
  publish(): void {
    this.published ??= [];
  }

  addUplink(device: DeviceRecord, u: UplinkMeta, values: readonly MetricValue[]): void {
    this.rows.addUplink(device, u, values);
    if (this.published && u.rssi !== null && u.snr !== null) {
      this.collect(u.timeMs, device, [
        { metric: 'rssi', value: u.rssi },
        { metric: 'snr', value: u.snr },
      ]);
    }
    this.collect(u.timeMs, device, values);
  }

  addReadings(timeMs: number, device: DeviceRecord, values: readonly MetricValue[]): void {
    this.rows.addReadings(timeMs, device, values);
    this.collect(timeMs, device, values);
  }

  private collect(timeMs: number, device: DeviceRecord, values: readonly MetricValue[]): void {
    if (!this.published) return;
    for (const { metric, value } of values) {
      this.published.push({ timeMs, devEui: device.devEui, objectNumber: device.objectNumber, metric, value });
    }
  }
}
