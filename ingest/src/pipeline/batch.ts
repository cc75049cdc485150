import type { MetricValue } from '../contract/codec.ts';
import type { DeviceRecord } from '../devices/registry.ts';
import type { DeadLetterReason } from '../errors.ts';
import type { SpoolRefs } from '../spool/spool.ts';
import { CopyRows, copyField } from '../store/copy-text.ts';

export interface UplinkMeta {
  timeMs: number;
  fCnt: number;
  fPort: number;
  dedupId: string;
  devAddr: string;
  dr: number;
  frequency: number;
  rssi: number | null;
  snr: number | null;
  gatewayId: string | null;
  gateways: number;
}

export interface DeadLetter {
  topic: string;
  payload: Uint8Array;
  reason: DeadLetterReason;
  detail: string;
  devEui: string | null;
}

/** A reading as published to outputs after commit. */
export interface Reading {
  timeMs: number;
  devEui: string;
  objectNumber: string | null;
  metric: string;
  value: number;
}

/** Column lists of the rows `CopyRows` holds, in their order. */
export const UPLINK_COLUMNS =
  'time, dev_eui, f_cnt, f_port, dedup_id, dev_addr, dr, frequency, rssi, snr, gateway_id, gateways';
export const READING_COLUMNS = 'time, dev_eui, object_number, metric, value';

/**
 * Rows of one database write. Uplinks and readings, thousands per batch, are formatted for
 * COPY as each frame is taken (see `CopyRows`); the rarer events, dead letters and new devices
 * are kept as values for one `INSERT ... unnest` each.
 */
export class Batch {
  frames = 0;
  readonly uplinks = new CopyRows();
  readonly readings = new CopyRows();
  /**
   * The batch's values as objects, radio figures included, for the listeners of committed
   * readings; collected only while there are listeners.
   */
  published: Reading[] | undefined;
  readonly events = { timeMs: [] as number[], devEui: [] as string[], type: [] as string[], detail: [] as string[] };
  readonly deadLetters: DeadLetter[] = [];
  readonly newDevices: DeviceRecord[] = [];
  /** Spool segments holding this batch's frames, released once it is committed. */
  readonly spooled: SpoolRefs = new Map();

  /** Collects the values of the frames added from now on as `published`. */
  publish(): void {
    this.published ??= [];
  }

  addUplink(device: DeviceRecord, u: UplinkMeta, values: readonly MetricValue[]): void {
    const time = new Date(u.timeMs).toISOString();
    const devEui = copyField(device.devEui);
    this.uplinks.append(
      `${time}\t${devEui}\t${u.fCnt}\t${u.fPort}\t${copyField(u.dedupId)}\t${copyField(u.devAddr)}\t${u.dr}\t${u.frequency}\t${copyField(u.rssi)}\t${copyField(u.snr)}\t${copyField(u.gatewayId)}\t${u.gateways}\n`,
      1,
    );
    if (this.published && u.rssi !== null && u.snr !== null) {
      this.collect(u.timeMs, device, 'rssi', u.rssi);
      this.collect(u.timeMs, device, 'snr', u.snr);
    }
    this.addReadingRows(`${time}\t${devEui}\t`, u.timeMs, device, values);
  }

  addReadings(timeMs: number, device: DeviceRecord, values: readonly MetricValue[]): void {
    this.addReadingRows(`${new Date(timeMs).toISOString()}\t${copyField(device.devEui)}\t`, timeMs, device, values);
  }

  addEvent(timeMs: number, devEui: string, type: string, detail: object): void {
    this.events.timeMs.push(timeMs);
    this.events.devEui.push(devEui);
    this.events.type.push(type);
    this.events.detail.push(JSON.stringify(detail));
  }

  /**
   * One string for all of a frame's rows: one copy into the batch's buffer. `timeAndDevice` is
   * the rows' first two fields, formatted once per frame by the caller.
   */
  private addReadingRows(
    timeAndDevice: string,
    timeMs: number,
    device: DeviceRecord,
    values: readonly MetricValue[],
  ): void {
    if (values.length === 0) return;
    const prefix = `${timeAndDevice}${copyField(device.objectNumber)}\t`;
    let text = '';
    for (const { metric, value } of values) {
      text += `${prefix}${metric}\t${value}\n`;
      if (this.published) this.collect(timeMs, device, metric, value);
    }
    this.readings.append(text, values.length);
  }

  private collect(timeMs: number, device: DeviceRecord, metric: string, value: number): void {
    this.published?.push({ timeMs, devEui: device.devEui, objectNumber: device.objectNumber, metric, value });
  }
}
