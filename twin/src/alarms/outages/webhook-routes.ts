import { ACCESS, type Db, ErrorBody } from '@city/ingest';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { WebhookDelivery, WebhookDeliveryQuery } from '../../contract/alarms.ts';
import { listDeliveries } from './webhook-deliveries-table.ts';

/** The webhook's outbox, newest first: what went out, what is retrying and why, what was given up. */
export const webhookRoutes: FastifyPluginAsyncTypebox<{ db: Db }> = async (app, { db }) => {
  app.get(
    '/webhook-deliveries',
    {
      config: { access: ACCESS.operate },
      schema: {
        tags: ['alarms'],
        summary: 'Calls of the alarm webhook (ALARM_WEBHOOK_URL), newest first, with their attempts and last error',
        querystring: WebhookDeliveryQuery,
        response: { 200: Type.Array(WebhookDelivery), 400: ErrorBody },
      },
    },
    async (request) => listDeliveries(db, request.query),
  );
};
