import type { FastifyInstance } from 'fastify';
import type { Registry } from 'prom-client';

export interface ComponentHealth {
  up: boolean;
  [detail: string]: unknown;
}

export type HealthChecks = Record<string, () => Promise<ComponentHealth> | ComponentHealth>;

export async function healthRoutes(app: FastifyInstance, ctx: { checks: HealthChecks }): Promise<void> {
  app.get(
    '/health',
    {
      schema: {
        tags: ['ops'],
        summary: '200 when every component is up, 503 otherwise',
        response: {
          '2xx': { $ref: 'health#' },
          503: { $ref: 'health#' },
        },
      },
    },
    async (_request, reply) => {
      const entries = await Promise.all(
        Object.entries(ctx.checks).map(async ([name, check]) => {
          try {
            return [name, await check()] as const;
          } catch (err) {
            return [name, { up: false, error: (err as Error).message }] as const;
          }
        }),
      );
      const components = Object.fromEntries(entries);
      const up = entries.every(([, c]) => c.up);
      return reply.status(up ? 200 : 503).send({ status: up ? 'ok' : 'degraded', components });
    },
  );
}

/** Prometheus text format at /metrics (no /api/v1 prefix), from every registry given. */
export async function metricsRoute(app: FastifyInstance, ctx: { registries: Registry[] }): Promise<void> {
  app.get('/metrics', { schema: { tags: ['ops'], summary: 'Prometheus metrics', hide: false } }, async (_r, reply) => {
    const texts = await Promise.all(ctx.registries.map((r) => r.metrics()));
    return reply.type('text/plain; version=0.0.4').send(texts.join('\n'));
  });
}

export const healthSchema = {
  $id: 'health',
  type: 'object',
  properties: {
    status: { type: 'string', enum: ['ok', 'degraded'] },
    components: {
      type: 'object',
      additionalProperties: { type: 'object', properties: { up: { type: 'boolean' } }, additionalProperties: true },
    },
  },
} as const;
