import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { ACCESS } from '../contract/http-access.ts';
import { DevEuiParams, ReadingsQuery, SeriesPoint } from '../contract/http-api.ts';
import { ApiError, ErrorBody } from '../contract/http-errors.ts';
import type { Db } from '../store/db.ts';
import { readSeries } from '../store/readings-table.ts';

const BUCKET_UNITS = { s: 'seconds', m: 'minutes', h: 'hours', d: 'days' } as const;
const DAY_MS = 24 * 3600 * 1000;

/** `15m` -> `15 minutes`; the pattern in the schema guarantees the shape. */
function bucketInterval(bucket: string): string {
  const unit = bucket.slice(-1) as keyof typeof BUCKET_UNITS;
  return `${Number.parseInt(bucket, 10)} ${BUCKET_UNITS[unit]}`;
}

export const readingRoutes: FastifyPluginAsyncTypebox<{ db: Db }> = async (app, { db }) => {
  app.get(
    '/devices/:devEui/readings',
    {
      config: { access: ACCESS.read },
      schema: {
        tags: ['devices'],
        summary: "A device's time series, raw or bucketed (avg/min/max/count per bucket)",
        params: DevEuiParams,
        querystring: ReadingsQuery,
        response: { 200: Type.Array(SeriesPoint), 400: ErrorBody },
      },
    },
    async (request) => {
      const q = request.query;
      const to = q.to ? new Date(q.to) : new Date();
      const from = q.from ? new Date(q.from) : new Date(to.getTime() - DAY_MS);
      if (from >= to) throw new ApiError(400, 'bad_request', '`from` must be before `to`');
      return readSeries(db, {
        devEui: request.params.devEui,
        metric: q.metric,
        from,
        to,
        limit: q.limit,
        bucket: q.bucket ? bucketInterval(q.bucket) : undefined,
      });
    },
  );
};
