import {
  ACCESS,
  healthRoute,
  type IngestApiBackend,
  ingestRoutes,
  installErrorHandling,
  installInputGuards,
  metricsRoute,
  PROCESS_SETTINGS,
  processMetrics,
} from '@city/ingest';
import cors from '@fastify/cors';
import helmet from '@fastify/helmet';
import jwt from '@fastify/jwt';
import rateLimit from '@fastify/rate-limit';
import Fastify, { type FastifyBaseLogger, type FastifyInstance, LogController } from 'fastify';
import type { Logger } from 'pino';
import { installAccessControl } from '../access/access-control.ts';
import { adminRoutes } from '../access/admin-routes.ts';
import { authRoutes } from '../access/auth-routes.ts';
import { bindingsRoutes } from '../bindings/bindings-routes.ts';

import { incidentRoutes } from '../incidents/incident-routes.ts';
import { incidentsEnricher } from '../incidents/object-incidents.ts';
import { labelsRoutes } from '../labels/labels-routes.ts';
import { liveRoutes } from '../live/live-routes.ts';
import { LiveTwin } from '../live/live-twin.ts';
import { liveEnricher } from '../live/object-enricher.ts';
import type { ReadingsSource } from '../live/readings-source.ts';
import { locateRoutes } from '../locate/locate-routes.ts';
import { migrateTwin } from '../migrate.ts';
import { ngsiLdRoutes } from '../ngsi-ld/ngsi-ld-routes.ts';
import { ObjectSync } from '../objects/object-sync.ts';
import { objectsRoutes } from '../objects/objects-routes.ts';
import { spatialRoutes } from '../objects/spatial-routes.ts';
import { open311Routes } from '../open311/open311-routes.ts';
import { ReportCategories } from '../reports/report-categories.ts';
import { reportRoutes } from '../reports/report-routes.ts';
import { registerOpenApi } from './openapi.ts';
import { DEFAULT_RATE_LIMITS, type RateLimits, rateFamily } from './rate-limits.ts';

export interface ServerOptions {
  logger: Logger;
  /** What ingest's routes run on; its checks and metrics join the server's. Its database holds the twin's tables too. */
  ingest: IngestApiBackend;
  /** Staff tokens: the key they are signed with (HS256) and how long they live. */
  auth: { jwtSecret: string; tokenTtlSeconds: number };
  /** Origins browsers may call the API from; none = same origin only. */
  corsOrigins?: string[];
  /** Requests per minute per client address on /api/v1, by route family (defaults: DEFAULT_RATE_LIMITS). */
  rateLimits?: Partial<RateLimits>;
  /** Committed readings for the objects' live state: ingest's event in-process, or the broker (`live/readings-source.ts`). */
  readings?: ReadingsSource;
  /** How far back the live state's start reads (LIVE_LOOKBACK_H). */
  liveLookbackHours?: number;
  /** Where residents reach the platform (PUBLIC_URL): QR labels open `{publicUrl}/r/{number}`; default localhost on the default port. */
  publicUrl?: string;
  /** How often the index looks for objects changed by another process or SQL (default 2 s; tests less). */
  objectSyncMs?: number;
}

/**
 * The platform's HTTP server (not yet listening): `/api/v1` with staff access (sign-in, roles,
 * API keys, the audit log) and ingest's routes mounted as a plugin, `/api/v1/health`, `/metrics`
 * and the OpenAPI page at `/docs`. It migrates the twin's tables first.
 */
export async function buildServer(opts: ServerOptions): Promise<FastifyInstance> {
  const { db } = opts.ingest;
  await migrateTwin(db);
  // Read before anything starts: a bad categories file stops the start with nothing to undo.
  const categories = ReportCategories.load();
  // The objects in memory, built once: lookups by number and spatial queries read it, changes write through it;
  // what another process or SQL changes in the table reaches it within a couple of seconds.
  const objectSync = await ObjectSync.load({ db, log: opts.logger, intervalMs: opts.objectSyncMs });
  const objects = objectSync.objects;
  const live = await LiveTwin.start({
    db,
    objects,
    readings: opts.readings,
    log: opts.logger,
    lookbackHours: opts.liveLookbackHours,
  });
  const app = Fastify({
    loggerInstance: opts.logger as FastifyBaseLogger,
    logController: new LogController({ disableRequestLogging: true }),
    bodyLimit: 1024 * 1024,
    // Unknown properties are an error the client hears about (400 naming them), not dropped.
    ajv: { customOptions: { removeAdditional: false } },
  });
  installErrorHandling(app);
  app.addHook('onClose', () => live.close());
  app.addHook('onClose', () => objectSync.close());
  installInputGuards(app);
  await app.register(helmet);
  await app.register(cors, { origin: opts.corsOrigins && opts.corsOrigins.length > 0 ? opts.corsOrigins : false });
  await app.register(jwt, { secret: opts.auth.jwtSecret });
  installAccessControl(app, db);
  await registerOpenApi(app);
  await app.register(metricsRoute, {
    registries: [processMetrics(), ...opts.ingest.metricRegistries],
    access: ACCESS.operate,
  });
  await app.register(
    async (v1) => {
      const limits = { ...DEFAULT_RATE_LIMITS, ...opts.rateLimits };
      await v1.register(rateLimit, {
        keyGenerator: (request) => `${rateFamily(request.routeOptions.url)} ${request.ip}`,
        max: (request) => limits[rateFamily(request.routeOptions.url)],
        timeWindow: '1 minute',
        // Health stays answerable under load: load balancers and healthchecks ask it often.
        allowList: (request) => request.routeOptions.url === '/api/v1/health',
        errorResponseBuilder: (_req, ctx) => ({
          statusCode: 429,
          error: 'rate_limited',
          message: `rate limit of ${ctx.max} requests per minute exceeded; retry in ${ctx.after}`,
        }),
      });
      await v1.register(healthRoute, { checks: opts.ingest.checks, details: 'staff' });
      await v1.register(authRoutes, { db, tokenTtlSeconds: opts.auth.tokenTtlSeconds });
      await v1.register(adminRoutes, { db });
      await v1.register(ingestRoutes, opts.ingest);
      await v1.register(spatialRoutes, { objects });
      await v1.register(objectsRoutes, {
        db,
        objects,
        enrich: [liveEnricher(live, db), incidentsEnricher(db)],
        registryChanges: objectSync,
      });
      await v1.register(bindingsRoutes, { db, objects, registry: opts.ingest.registry, live });
      await v1.register(liveRoutes, { live, objects });
      await v1.register(locateRoutes, { objects });
      await v1.register(reportRoutes, { db, objects, categories });
      await v1.register(incidentRoutes, { db });
      await v1.register(labelsRoutes, {
        db,
        objects,
        publicUrl: opts.publicUrl ?? `http://localhost:${PROCESS_SETTINGS.port.default}`,
      });
    },
    { prefix: '/api/v1' },
  );
  await app.register(open311Routes, {
    db,
    objects,
    categories,
    rateLimits: { ...DEFAULT_RATE_LIMITS, ...opts.rateLimits },
    prefix: '/open311/v2',
  });
  const ngsiLdRate = { ...DEFAULT_RATE_LIMITS, ...opts.rateLimits }.api;
  await app.register(ngsiLdRoutes, { objects, live, rateLimit: ngsiLdRate, prefix: '/ngsi-ld/v1' });
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
