import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { collectDefaultMetrics, Registry } from 'prom-client';
import { ACCESS, type RouteAccess } from '../contract/http-access.ts';
import { type ComponentHealth, Health } from '../contract/http-api.ts';
import './route-access.ts';

/** One check per component (db, mqtt, ingest...): its state and details for /health. */
export type HealthChecks = Record<string, () => Promise<ComponentHealth> | ComponentHealth>;

/**
 * `GET /health`: 200 when every component is up, 503 otherwise; a check that throws is down.
 * Anyone may ask (load balancers, healthchecks); each component's details (versions, errors,
 * URLs) go only to staff, unless the server is an internal one that shows them to all.
 */
export const healthRoute: FastifyPluginAsyncTypebox<{ checks: HealthChecks; details: 'all' | 'staff' }> = async (
  app,
  { checks, details },
) => {
  app.get(
    '/health',
    {
      config: { access: ACCESS.public },
      schema: {
        tags: ['ops'],
        summary: '200 when every component is up, 503 otherwise',
        response: { 200: Health, 503: Health },
      },
    },
    async (request, reply) => {
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
      const shown = details === 'all' || request.principal?.kind === 'user';
      const components = Object.fromEntries(entries.map(([name, c]) => [name, shown ? c : { up: c.up }]));
      return reply.status(up ? 200 : 503).send({ status: up ? 'ok' : 'degraded', components });
    },
  );
};

/**
 * Prometheus text format at `/metrics` (no /api/v1 prefix), from every registry given; `access`
 * says who may scrape (the platform's server: staff or an API key; a headless process: anyone
 * who can reach its internal port).
 */
export const metricsRoute: FastifyPluginAsyncTypebox<{ registries: Registry[]; access: RouteAccess }> = async (
  app,
  { registries, access },
) => {
  const schema = { tags: ['ops'], summary: 'Prometheus metrics' };
  app.get('/metrics', { config: { access }, schema }, async (_request, reply) => {
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
