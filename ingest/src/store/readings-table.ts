import type { SeriesPoint } from '../contract/http-api.ts';
import { type CopyRows, copyField } from './copy-text.ts';
import type { Db, Queryable, Transaction } from './db.ts';
import { idempotentCopy } from './idempotent-copy.ts';
import { isoTime } from './iso-time.ts';
import { textArray as texts } from './pg-arrays.ts';

/** The columns of a reading row, in its order. */
const COLUMNS = 'time, dev_eui, object_number, metric, value';

/**
 * The fields all of a frame's reading rows start with, formatted once per frame. `time` and
 * `devEui` come as COPY fields, since the frame's uplink row starts with the same two.
 */
export function readingRowPrefix(time: string, devEui: string, objectNumber: string | null): string {
  return `${time}\t${devEui}\t${copyField(objectNumber)}\t`;
}

/** One reading row in COPY text, after its `readingRowPrefix`. */
export function readingRow(prefix: string, metric: string, value: number): string {
  return `${prefix}${metric}\t${value}\n`;
}

/** Writes the rows `readingRow` formatted; a replayed reading is a no-op. */
export function copyReadings(tx: Transaction, rows: CopyRows): Promise<void> {
  return idempotentCopy(tx, 'readings', COLUMNS, rows);
}

export interface SeriesQuery {
  devEui: string;
  metric?: string | undefined;
  from: Date;
  to: Date;
  limit: number;
  /** A PostgreSQL interval (`15 minutes`): one row per bucket and metric; none = raw readings. */
  bucket?: string | undefined;
}

/**
 * A device's series between $3 and $4, optionally one metric ($2): the `readings` table plus the
 * radio metrics, which are stored once per uplink in `uplinks` rather than repeated as readings.
 */
const SERIES = `WITH series AS (
  SELECT time, metric, value FROM readings
   WHERE dev_eui = $1 AND ($2::text IS NULL OR metric = $2) AND time >= $3 AND time < $4
  UNION ALL
  SELECT u.time, r.metric, r.value
    FROM uplinks u CROSS JOIN LATERAL (VALUES ('rssi', u.rssi::float8), ('snr', u.snr::float8)) AS r(metric, value)
   WHERE u.dev_eui = $1 AND ($2::text IS NULL OR r.metric = $2) AND u.time >= $3 AND u.time < $4
     AND r.value IS NOT NULL)`;

/** Newest first: raw readings, or per bucket their average, min, max and count. */
export async function readSeries(db: Db, q: SeriesQuery): Promise<SeriesPoint[]> {
  const params = [q.devEui.toLowerCase(), q.metric ?? null, q.from, q.to, q.limit];
  if (!q.bucket) {
    const { rows } = await db.query<SeriesPoint>(
      `${SERIES} SELECT ${isoTime('time')} AS time, metric, value FROM series ORDER BY series.time DESC, metric LIMIT $5`,
      params,
    );
    return rows;
  }
  // time_bucket with TimescaleDB, date_bin on plain PostgreSQL: same buckets (epoch-aligned).
  const bucketExpr = db.timescale
    ? 'time_bucket($6::interval, time)'
    : "date_bin($6::interval, time, TIMESTAMPTZ '1970-01-01 00:00:00+00')";
  const { rows } = await db.query<SeriesPoint>(
    `${SERIES}, buckets AS (
       SELECT ${bucketExpr} AS bucket, metric, avg(value) AS value, min(value) AS min, max(value) AS max,
              count(*)::int AS count
         FROM series GROUP BY 1, metric)
     SELECT ${isoTime('bucket')} AS time, metric, value, min, max, count FROM buckets
      ORDER BY bucket DESC, metric LIMIT $5`,
    [...params, q.bucket],
  );
  return rows;
}

/** The newest reading of one device's metric, as the twin's live state starts from it. */
export interface LatestReading {
  timeMs: number;
  devEui: string;
  objectNumber: string | null;
  metric: string;
  value: number;
}

/**
 * The newest reading since `since` of each metric a device's model can produce (`modelMetrics`:
 * model and metric, pairwise), for the devices `devEuis`: one probe of the primary key
 * (dev_eui, metric, time) per pair, so the cost follows the fleet, not the rows in the window,
 * and needs no index beyond the one every insert maintains already. With TimescaleDB the time
 * bound keeps each probe to the window's chunks. A caller pages through a large fleet.
 */
export async function latestReadings(
  db: Queryable,
  q: { since: Date; modelMetrics: readonly { model: string; metric: string }[]; devEuis: readonly string[] },
): Promise<LatestReading[]> {
  const { rows } = await db.query<LatestReading>(
    `SELECT r.time_ms AS "timeMs", d.dev_eui AS "devEui", r.object_number AS "objectNumber", mm.metric, r.value
       FROM devices d
       JOIN unnest($2::text[], $3::text[]) AS mm(model, metric) ON mm.model = d.model
       CROSS JOIN LATERAL (
         SELECT (extract(epoch FROM time) * 1000)::float8 AS time_ms, object_number, value FROM readings
          WHERE dev_eui = d.dev_eui AND metric = mm.metric AND time >= $1
          ORDER BY time DESC LIMIT 1) r
      WHERE d.dev_eui = ANY($4::text[])`,
    [q.since, texts(q.modelMetrics.map((m) => m.model)), texts(q.modelMetrics.map((m) => m.metric)), texts(q.devEuis)],
  );
  return rows;
}

/**
 * The newest reading since `since` per object and metric of the devices `devEuis` (devices that
 * left an object): what they measured at each object they were on, which `latestReadings`, newest
 * first wherever taken, does not give for the objects they left.
 */
export async function latestReadingsPerObject(
  db: Queryable,
  q: { since: Date; devEuis: readonly string[] },
): Promise<LatestReading[]> {
  const { rows } = await db.query<LatestReading>(
    `SELECT DISTINCT ON (dev_eui, object_number, metric)
            (extract(epoch FROM time) * 1000)::float8 AS "timeMs", dev_eui AS "devEui",
            object_number AS "objectNumber", metric, value
       FROM readings WHERE dev_eui = ANY($2::text[]) AND time >= $1 AND object_number IS NOT NULL
      ORDER BY dev_eui, object_number, metric, time DESC`,
    [q.since, texts(q.devEuis)],
  );
  return rows;
}
