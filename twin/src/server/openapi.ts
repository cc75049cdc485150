import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { FastifyInstance } from 'fastify';

/**
 * The OpenAPI document (`/docs/json`) generated from every route's schema, and its page at
 * `/docs`, served from the package's own files (no CDN).
 */
export async function registerOpenApi(app: FastifyInstance): Promise<void> {
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
}
