import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { ACCESS } from '../contract/http-access.ts';
import { DeadLetter, DeadLetterQuery } from '../contract/http-api.ts';
import type { Db } from '../store/db.ts';
import { listDeadLetters } from '../store/dead-letters-table.ts';

/**
 * The most payload bytes (as hex) one page carries: raw frames may be large, so a page ends
 * early rather than at `limit`, and the client pages on with `beforeId`.
 */
const PAGE_BYTES = 1024 * 1024;

/** The first rows whose payloads fit in `budget` (always at least one row). */
function withinBytes(rows: DeadLetter[], budget: number): DeadLetter[] {
  const page: DeadLetter[] = [];
  let used = 0;
  for (const row of rows) {
    used += row.payloadHex.length;
    if (used > budget && page.length > 0) break;
    page.push(row);
  }
  return page;
}

export const deadLetterRoutes: FastifyPluginAsyncTypebox<{ db: Db }> = async (app, { db }) => {
  app.get(
    '/dead-letters',
    {
      config: { access: ACCESS.operate },
      schema: {
        tags: ['ingest'],
        summary: 'Frames ingest could not use, newest first, with the reason and raw bytes',
        querystring: DeadLetterQuery,
        response: { 200: Type.Array(DeadLetter) },
      },
    },
    async (request) => withinBytes(await listDeadLetters(db, request.query), PAGE_BYTES),
  );
};
