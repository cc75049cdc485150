import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { IngestApiBackend } from './api-backend.ts';
import { codecRoutes } from './codecs.ts';
import { deadLetterRoutes } from './dead-letters.ts';
import { deviceRoutes } from './devices.ts';
import { downlinkRoutes } from './downlinks.ts';
import { readingRoutes } from './readings.ts';

/**
 * Ingest's routes as one fastify plugin, which the platform's server mounts under /api/v1:
 * codecs, the device registry, readings, downlinks and dead letters.
 */
export const ingestRoutes: FastifyPluginAsyncTypebox<IngestApiBackend> = async (app, backend) => {
  await app.register(codecRoutes);
  await app.register(deviceRoutes, { db: backend.db, registry: backend.registry });
  await app.register(readingRoutes, { db: backend.db });
  await app.register(downlinkRoutes, { db: backend.db, publish: backend.publish });
  await app.register(deadLetterRoutes, { db: backend.db });
};
