import Fastify, { type FastifyBaseLogger, type FastifyInstance, LogController } from 'fastify';
import type { Logger } from 'pino';
import type { IngestApiBackend } from './api-backend.ts';
import { installErrorHandling } from './error-handling.ts';
import { healthRoute, metricsRoute, processMetrics } from './ops-routes.ts';

/**
 * The HTTP side of a headless ingest process: `/api/v1/health` and `/metrics` only, open to
 * whoever reaches the port (HOST binds loopback by default; in a deployment, the internal
 * network). The platform's API, with ingest's routes and staff access, is the twin's server.
 */
export async function startOpsServer(
  backend: IngestApiBackend,
  opts: { log: Logger; port: number; host: string },
): Promise<FastifyInstance> {
  const app = Fastify({
    loggerInstance: opts.log as FastifyBaseLogger,
    logController: new LogController({ disableRequestLogging: true }),
  });
  installErrorHandling(app);
  await app.register(metricsRoute, { registries: [processMetrics(), ...backend.metricRegistries], access: 'public' });
  await app.register(healthRoute, { prefix: '/api/v1', checks: backend.checks, details: 'all' });
  await app.listen({ port: opts.port, host: opts.host });
  return app;
}
