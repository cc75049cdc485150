import rateLimit from '@fastify/rate-limit';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import Fastify, { type FastifyBaseLogger, type FastifyInstance, type FastifyPluginAsync, LogController } from 'fastify';
import type { Logger } from 'pino';
import { collectDefaultMetrics, Registry as PromRegistry, type Registry } from 'prom-client';
import type { DeviceRegistry } from '../devices/registry.ts';
import type { Db } from '../store/db.ts';
import { codecRoutes } from './codecs.ts';
import { deadLetterRoutes } from './dead-letters.ts';
import { deviceRoutes } from './devices.ts';
import { downlinkRoutes, type Publish } from './downlinks.ts';
import { installErrorHandling } from './errors.ts';
import { type HealthChecks, healthRoutes, healthSchema, metricsRoute } from './health.ts';
import { readingRoutes } from './readings.ts';

export interface ApiOptions {
  db: Db;
  registry: DeviceRegistry;
  checks: HealthChecks;
  metricRegistries: Registry[];
  logger: Logger;
  /** Publishes downlink commands to the broker; without it downlinks answer 503. */
  publish?: Publish;
  /** Requests per minute per client address on /api/v1. */
  rateLimitPerMinute?: number;
  /** Route plugins of other parts (the twin), mounted under /api/v1 beside ingest's. */
  extraRoutes?: FastifyPluginAsync[];
}

/** The HTTP API: ingest's /api/v1 routes, /metrics and the OpenAPI page at /docs. */
export async function buildApi(opts: ApiOptions): Promise<FastifyInstance> {
  const app = Fastify({
    loggerInstance: opts.logger as FastifyBaseLogger,
    logController: new LogController({ disableRequestLogging: true }),
    bodyLimit: 1024 * 1024,
  });
  installErrorHandling(app);
  app.addSchema(healthSchema);
  await app.register(swagger, {
    openapi: {
      info: {
        title: 'City situation center API',
        version: '1',
        description: 'Devices, readings, codecs and ingest diagnostics. Errors are `{error, message}`.',
      },
    },
  });
  await app.register(swaggerUi, { routePrefix: '/docs' });

  const processRegistry = new PromRegistry();
  collectDefaultMetrics({ register: processRegistry });
  await app.register(metricsRoute, { registries: [processRegistry, ...opts.metricRegistries] });

  await app.register(
    async (v1) => {
      await v1.register(rateLimit, {
        max: opts.rateLimitPerMinute ?? 600,
        timeWindow: '1 minute',
        errorResponseBuilder: (_req, ctx) => ({
          statusCode: 429,
          error: 'rate_limited',
          message: `rate limit of ${ctx.max} requests per minute exceeded; retry in ${ctx.after}`,
        }),
      });
      await v1.register(healthRoutes, { checks: opts.checks });
      await v1.register(codecRoutes);
      await v1.register(deviceRoutes, { db: opts.db, registry: opts.registry });
      await v1.register(readingRoutes, { db: opts.db });
      await v1.register(downlinkRoutes, { db: opts.db, publish: opts.publish });
      await v1.register(deadLetterRoutes, { db: opts.db });
      for (const routes of opts.extraRoutes ?? []) await v1.register(routes);
    },
    { prefix: '/api/v1' },
  );
  return app;
}
