import type { MetricValue } from '../contract/codec.ts';
import type { DeviceRecord } from '../devices/registry.ts';
import type { DeadLetterReason } from '../errors.ts';
import type { SpoolRefs } from '../spool/spool.ts';

export interface UplinkMeta {
  timeMs: number;
  devEui: string;
  objectNumber: string | null;
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

/**
 * Rows of one database write, kept column by column: the writer hands each column to
 * `unnest()` as one array parameter, so a batch of thousands of rows is one statement per table.
 */
export class Batch {
  frames = 0;
  readonly uplinks: UplinkMeta[] = [];
  readonly readings = {
    timeMs: [] as number[],
    devEui: [] as string[],
    objectNumber: [] as (string | null)[],
    metric: [] as string[],
    value: [] as number[],
  };
  readonly events = { timeMs: [] as number[], devEui: [] as string[], type: [] as string[], detail: [] as string[] };
  readonly deadLetters: DeadLetter[] = [];
  readonly newDevices: DeviceRecord[] = [];
  /** Spool segments holding this batch's frames, released once it is committed. */
  readonly spooled: SpoolRefs = new Map();

  addReadings(timeMs: number, device: DeviceRecord, values: readonly MetricValue[]): void {
    const r = this.readings;
    for (const { metric, value } of values) {
      r.timeMs.push(timeMs);
      r.devEui.push(device.devEui);
      r.objectNumber.push(device.objectNumber);
      r.metric.push(metric);
      r.value.push(value);
    }
  }

  addEvent(timeMs: number, devEui: string, type: string, detail: object): void {
    this.events.timeMs.push(timeMs);
    this.events.devEui.push(devEui);
    this.events.type.push(type);
    this.events.detail.push(JSON.stringify(detail));
  }

  get readingCount(): number {
    return this.readings.metric.length;
  }

  /** Every normalised value of the batch, the radio figures of its uplinks included. */
  *eachReading(): Iterable<Reading> {
    for (const u of this.uplinks) {
      if (u.rssi === null || u.snr === null) continue;
      const base = { timeMs: u.timeMs, devEui: u.devEui, objectNumber: u.objectNumber };
      yield { ...base, metric: 'rssi', value: u.rssi };
      yield { ...base, metric: 'snr', value: u.snr };
    }
    const r = this.readings;
    for (let i = 0; i < r.metric.length; i++) {
      yield {
        timeMs: r.timeMs[i] as number,
        devEui: r.devEui[i] as string,
        objectNumber: r.objectNumber[i] ?? null,
        metric: r.metric[i] as string,
        value: r.value[i] as number,
      };
    }
  }
}
