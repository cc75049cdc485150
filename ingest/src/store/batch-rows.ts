import type { MetricValue } from '../contract/codec.ts';
import { CopyRows, copyField } from './copy-text.ts';
import type { NewDeadLetter } from './dead-letters-table.ts';
import { DeviceEventRows } from './device-events-table.ts';
import type { DeviceRecord } from './devices-table.ts';
import { readingRow, readingRowPrefix } from './readings-table.ts';
import { type UplinkMeta, uplinkRow } from './uplinks-table.ts';

/**
 * Rows of one database write. Uplinks and readings, thousands per batch, are formatted for
 * COPY as each frame is taken (see `CopyRows`); the rarer events, dead letters and new devices
 * are kept as values for one `INSERT ... unnest` each.
 */
export class BatchRows {
  readonly uplinks = new CopyRows();
  readonly readings = new CopyRows();
  readonly events = new DeviceEventRows();
  readonly deadLetters: NewDeadLetter[] = [];
  readonly newDevices: DeviceRecord[] = [];

  /** An uplink's row and its readings' rows. */
  addUplink(device: DeviceRecord, u: UplinkMeta, values: readonly MetricValue[]): void {
    const time = new Date(u.timeMs).toISOString();
    const devEui = copyField(device.devEui);
    this.uplinks.append(uplinkRow(time, devEui, u), 1);
    this.addReadingRows(time, devEui, device, values);
  }

  /** Readings that came without an uplink (a status event's battery). */
  addReadings(timeMs: number, device: DeviceRecord, values: readonly MetricValue[]): void {
    this.addReadingRows(new Date(timeMs).toISOString(), copyField(device.devEui), device, values);
  }

  /**
   * One string for all of a frame's rows: one copy into the batch's buffer. `time` and `devEui`
   * are COPY fields, formatted once per frame by the caller.
   */
  private addReadingRows(time: string, devEui: string, device: DeviceRecord, values: readonly MetricValue[]): void {
    if (values.length === 0) return;
    const prefix = readingRowPrefix(time, devEui, device.objectNumber);
    let text = '';
    for (const { metric, value } of values) text += readingRow(prefix, metric, value);
    this.readings.append(text, values.length);
  }
}
