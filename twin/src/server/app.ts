import {
  healthRoute,
  type IngestApiBackend,
  ingestRoutes,
  installErrorHandling,
  metricsRoute,
  processMetrics,
} from '@city/ingest';
import rateLimit from '@fastify/rate-limit';
import Fastify, { type FastifyBaseLogger, type FastifyInstance, LogController } from 'fastify';
import type { Logger } from 'pino';
import { registerOpenApi } from './openapi.ts';

export interface ServerOptions {
  logger: Logger;
  /** What ingest's routes run on; its checks and metrics join the server's. */
  ingest: IngestApiBackend;
  /** Requests per minute per client address on /api/v1. */
  rateLimitPerMinute?: number;
}

/**
 * The platform's HTTP server (not yet listening): `/api/v1` with ingest's routes mounted as a
 * plugin, `/api/v1/health`, `/metrics` and the OpenAPI page at `/docs`.
 */
export async function buildServer(opts: ServerOptions): Promise<FastifyInstance> {
  const app = Fastify({
    loggerInstance: opts.logger as FastifyBaseLogger,
    logController: new LogController({ disableRequestLogging: true }),
    bodyLimit: 1024 * 1024,
  });
  installErrorHandling(app);
  await registerOpenApi(app);
  await app.register(metricsRoute, { registries: [processMetrics(), ...opts.ingest.metricRegistries] });
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
      await v1.register(healthRoute, { checks: opts.ingest.checks });
      await v1.register(ingestRoutes, opts.ingest);
    },
    { prefix: '/api/v1' },
  );
  return app;
}

/** The server, listening. */
export async function startServer(
  opts: ServerOptions,
  listen: { port: number; host: string },
): Promise<FastifyInstance> {
  const app = await buildServer(opts);
  await app.listen(listen);
  return app;
}
