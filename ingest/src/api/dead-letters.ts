import type { FastifyInstance } from 'fastify';
import { DEAD_LETTER_REASONS } from '../errors.ts';
import type { Db } from '../store/db.ts';

export async function deadLetterRoutes(app: FastifyInstance, ctx: { db: Db }): Promise<void> {
  app.get<{ Querystring: { reason?: string; devEui?: string; limit: number; beforeId?: number } }>(
    '/dead-letters',
    {
      schema: {
        tags: ['ingest'],
        summary: 'Frames ingest could not use, newest first, with the reason and raw bytes',
        querystring: {
          type: 'object',
          additionalProperties: false,
          properties: {
            reason: { type: 'string', enum: Object.keys(DEAD_LETTER_REASONS) },
            devEui: { type: 'string', pattern: '^[0-9a-fA-F]{16}$' },
            limit: { type: 'integer', minimum: 1, maximum: 1000, default: 100 },
            beforeId: { type: 'integer', minimum: 1, description: 'page: ids below this one' },
          },
        },
        response: {
          200: {
            type: 'array',
            items: {
              type: 'object',
              properties: {
                id: { type: 'integer' },
                receivedAt: { type: 'string', format: 'date-time' },
                topic: { type: 'string' },
                reason: { type: 'string' },
                detail: { type: 'string' },
                devEui: { type: ['string', 'null'] },
                payloadHex: { type: 'string' },
              },
            },
          },
        },
      },
    },
    async (request) => {
      const q = request.query;
      const { rows } = await ctx.db.query(
        `SELECT id::int AS id, received_at AS "receivedAt", topic, reason, detail, dev_eui AS "devEui",
                encode(payload, 'hex') AS "payloadHex"
           FROM dead_letters
          WHERE ($1::text IS NULL OR reason = $1) AND ($2::text IS NULL OR dev_eui = $2) AND ($3::bigint IS NULL OR id < $3)
          ORDER BY id DESC LIMIT $4`,
        [q.reason ?? null, q.devEui?.toLowerCase() ?? null, q.beforeId ?? null, q.limit],
      );
      return rows;
    },
  );
}
