import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { DeadLetter, DeadLetterQuery } from '../contract/http-api.ts';
import type { Db } from '../store/db.ts';
import { listDeadLetters } from '../store/dead-letters-table.ts';

export const deadLetterRoutes: FastifyPluginAsyncTypebox<{ db: Db }> = async (app, { db }) => {
  app.get(
    '/dead-letters',
    {
      schema: {
        tags: ['ingest'],
        summary: 'Frames ingest could not use, newest first, with the reason and raw bytes',
        querystring: DeadLetterQuery,
        response: { 200: Type.Array(DeadLetter) },
      },
    },
    async (request) => listDeadLetters(db, request.query),
  );
};
