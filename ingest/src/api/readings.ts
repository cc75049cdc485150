import type { FastifyInstance } from 'fastify';
import type { Db } from '../store/db.ts';
import { ApiError, errorSchema } from './errors.ts';

interface ReadingsQuery {
  metric?: string;
  from?: string;
  to?: string;
  bucket?: string;
  limit: number;
}

const BUCKET_UNITS = { s: 'seconds', m: 'minutes', h: 'hours', d: 'days' } as const;
const DAY_MS = 24 * 3600 * 1000;

/** `15m` -> `15 minutes`; the pattern in the schema guarantees the shape. */
function bucketInterval(bucket: string): string {
  const unit = bucket.slice(-1) as keyof typeof BUCKET_UNITS;
  return `${Number.parseInt(bucket, 10)} ${BUCKET_UNITS[unit]}`;
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

export async function readingRoutes(app: FastifyInstance, ctx: { db: Db }): Promise<void> {
  const { db } = ctx;
  app.get<{ Params: { devEui: string }; Querystring: ReadingsQuery }>(
    '/devices/:devEui/readings',
    {
      schema: {
        tags: ['devices'],
        summary: "A device's time series, raw or bucketed (avg/min/max/count per bucket)",
        params: { type: 'object', properties: { devEui: { type: 'string', pattern: '^[0-9a-fA-F]{16}$' } } },
        querystring: {
          type: 'object',
          additionalProperties: false,
          properties: {
            metric: { type: 'string', pattern: '^[a-z0-9_]+$' },
            from: { type: 'string', format: 'date-time', description: 'default: `to` minus one day' },
            to: { type: 'string', format: 'date-time', description: 'default: now' },
            bucket: { type: 'string', pattern: '^[1-9][0-9]{0,3}[smhd]$', examples: ['15m', '1h', '1d'] },
            limit: { type: 'integer', minimum: 1, maximum: 100_000, default: 10_000 },
          },
        },
        response: {
          200: {
            type: 'array',
            items: {
              type: 'object',
              properties: {
                time: { type: 'string', format: 'date-time' },
                metric: { type: 'string' },
                value: { type: 'number' },
                min: { type: 'number' },
                max: { type: 'number' },
                count: { type: 'integer' },
              },
            },
          },
          400: errorSchema,
        },
      },
    },
    async (request) => {
      const q = request.query;
      const to = q.to ? new Date(q.to) : new Date();
      const from = q.from ? new Date(q.from) : new Date(to.getTime() - DAY_MS);
      if (from >= to) throw new ApiError(400, 'bad_request', '`from` must be before `to`');
      const params = [request.params.devEui.toLowerCase(), q.metric ?? null, from, to, q.limit];
      if (!q.bucket) {
        const { rows } = await db.query(`${SERIES} SELECT * FROM series ORDER BY time DESC, metric LIMIT $5`, params);
        return rows;
      }
      // time_bucket with TimescaleDB, date_bin on plain PostgreSQL: same buckets (epoch-aligned).
      const bucketExpr = db.timescale
        ? 'time_bucket($6::interval, time)'
        : "date_bin($6::interval, time, TIMESTAMPTZ '1970-01-01 00:00:00+00')";
      const { rows } = await db.query(
        `${SERIES}
         SELECT ${bucketExpr} AS time, metric, avg(value) AS value, min(value) AS min, max(value) AS max,
                count(*)::int AS count
           FROM series GROUP BY 1, metric ORDER BY 1 DESC, metric LIMIT $5`,
        [...params, bucketInterval(q.bucket)],
      );
      return rows;
    },
  );
}
