import type { Queryable } from './db.ts';
import { numberArray as nums, textArray as texts } from './pg-arrays.ts';

/** Device events (status, join, ack...) of one batch, one array per column, for one `INSERT ... unnest`. */
export class DeviceEventRows {
  readonly timeMs: number[] = [];
  readonly devEui: string[] = [];
  readonly type: string[] = [];
  readonly detail: string[] = [];

  get count(): number {
    return this.type.length;
  }

  add(timeMs: number, devEui: string, type: string, detail: object): void {
    this.timeMs.push(timeMs);
    this.devEui.push(devEui);
    this.type.push(type);
    this.detail.push(JSON.stringify(detail));
  }
}

/** Writes the events; a replayed event is a no-op. */
export async function insertDeviceEvents(db: Queryable, e: DeviceEventRows): Promise<void> {
  if (e.count === 0) return;
  await db.query(
    `INSERT INTO device_events (time, dev_eui, type, detail)
     SELECT to_timestamp(t / 1000.0), e, y, d::jsonb
       FROM unnest($1::float8[], $2::text[], $3::text[], $4::text[]) AS x(t, e, y, d)
     ON CONFLICT DO NOTHING`,
    [nums(e.timeMs), texts(e.devEui), texts(e.type), texts(e.detail)],
  );
}
