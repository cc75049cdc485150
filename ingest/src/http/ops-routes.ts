import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { collectDefaultMetrics, Registry } from 'prom-client';
import { type ComponentHealth, Health } from '../contract/http-api.ts';

/** One check per component (db, mqtt, ingest...): its state and details for /health. */
export type HealthChecks = Record<string, () => Promise<ComponentHealth> | ComponentHealth>;

/** `GET /health`: 200 when every component is up, 503 otherwise; a check that throws is down. */
export const healthRoute: FastifyPluginAsyncTypebox<{ checks: HealthChecks }> = async (app, { checks }) => {
  app.get(
    '/health',
    {
      schema: {
        tags: ['ops'],
        summary: '200 when every component is up, 503 otherwise',
        response: { 200: Health, 503: Health },
      },
    },
    async (_request, reply) => {
      const entries = await Promise.all(
        Object.entries(checks).map(async ([name, check]) => {
          try {
            return [name, await check()] as const;
          } catch (err) {
            return [name, { up: false, error: (err as Error).message }] as const;
          }
        }),
      );
      const up = entries.every(([, c]) => c.up);
      return reply
        .status(up ? 200 : 503)
        .send({ status: up ? 'ok' : 'degraded', components: Object.fromEntries(entries) });
    },
  );
};

/** Prometheus text format at `/metrics` (no /api/v1 prefix), from every registry given. */
export const metricsRoute: FastifyPluginAsyncTypebox<{ registries: Registry[] }> = async (app, { registries }) => {
  app.get('/metrics', { schema: { tags: ['ops'], summary: 'Prometheus metrics' } }, async (_request, reply) => {
    const texts = await Promise.all(registries.map((r) => r.metrics()));
    return reply.type('text/plain; version=0.0.4').send(texts.join('\n'));
  });
};

/** The process's own figures (CPU, memory, event-loop lag, handles) for /metrics. */
export function processMetrics(): Registry {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  return registry;
}
