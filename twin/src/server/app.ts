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
import { AlarmEvaluation } from '../alarms/alarm-evaluation.ts';
import { alarmRoutes } from '../alarms/alarm-routes.ts';
import { alarmsEnricher } from '../alarms/object-alarms.ts';
import { AlarmFamilies } from '../alarms/outages/alarm-families.ts';
import { AlarmOperations, type AlarmOperationsOptions } from '../alarms/outages/alarm-operations.ts';
import { DEFAULT_ALARM_OPERATIONS_SETTINGS } from '../alarms/outages/alarm-operations-settings.ts';
import { outageRollUp } from '../alarms/outages/outage-roll-up.ts';
import { outageRoutes } from '../alarms/outages/outage-routes.ts';
import { webhookRoutes } from '../alarms/outages/webhook-routes.ts';
import { alarmRulesRoutes } from '../alarms/rules/alarm-rules-routes.ts';
import { seedAlarmRules } from '../alarms/rules/alarm-rules-seed.ts';
import { bindingsRoutes } from '../bindings/bindings-routes.ts';
import { type CommandSettings, commandsPlugin } from '../commands/commands-plugin.ts';
import { commandsEnricher } from '../commands/object-commands.ts';

import { incidentRoutes } from '../incidents/incident-routes.ts';
import { incidentsEnricher } from '../incidents/object-incidents.ts';
import { labelsRoutes } from '../labels/labels-routes.ts';
import { liveRoutes } from '../live/live-routes.ts';
import { LiveTwin } from '../live/live-twin.ts';
import { liveEnricher } from '../live/object-enricher.ts';
import type { ReadingsSource } from '../live/readings-source.ts';
import { SharedReadings } from '../live/shared-readings.ts';
import { locateRoutes } from '../locate/locate-routes.ts';
import { mapRoutes } from '../map/map-routes.ts';
import { migrateTwin } from '../migrate.ts';
import { ngsiLdRoutes } from '../ngsi-ld/ngsi-ld-routes.ts';
import { ObjectSync } from '../objects/object-sync.ts';
import { objectsRoutes } from '../objects/objects-routes.ts';
import { spatialRoutes } from '../objects/spatial-routes.ts';
import { open311Routes } from '../open311/open311-routes.ts';
import { ReportCategories } from '../reports/report-categories.ts';
import { reportRoutes } from '../reports/report-routes.ts';
import { type LiveHub, teeHub } from '../stream/live-hub.ts';
import { LiveStream, type StreamTimings } from '../stream/live-stream.ts';
import { contentSecurityPolicy, dashboardPages } from './dashboard-pages.ts';
import { registerOpenApi } from './openapi.ts';
import { DEFAULT_RATE_LIMITS, type RateLimits, rateFamily } from './rate-limits.ts';
import { type UiSettings, uiConfigOf, uiConfigRoute } from './ui-config-route.ts';

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
  /** Where committed alarm, incident and report changes go besides the live stream (tests record them). */
  hub?: LiveHub;
  /** Redis through which several server processes share the live stream (REDIS_URL); none = this process alone. */
  redisUrl?: string;
  /** The stream's Redis channel prefix (STREAM_CHANNEL): deployments, or tests, sharing one Redis each use their own. */
  streamChannel?: string;
  /** The embedded demo's wall: a stream handshake without a token (or with this one) is a kiosk. */
  demoKioskToken?: string;
  /** The dashboard's built files (DASHBOARD_DIR) and a PMTiles base map to serve (BASEMAP_FILE); none: no pages. */
  dashboard?: { dir: string; basemapFile?: string | undefined };
  /** What the pages start from (BASEMAP_*, WALL_*). */
  ui?: UiSettings;
  /** How often the stream sends readings and KPIs (defaults: STREAM_TIMINGS; tests less). */
  streamTimings?: Partial<StreamTimings>;
  /** Escalation, the webhook and pruning (`alarmOperationsSettings` of the config; default: no webhook; tests: short timings). */
  alarmOperations?: Omit<AlarmOperationsOptions, 'db' | 'hub' | 'log'>;
  /** Streetlight commands: how long one waits for its confirming uplink (COMMAND_TIMEOUT_S), how often timeouts are swept. */
  commands?: Partial<CommandSettings>;
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
  const families = AlarmFamilies.load();
  // The district roll-up joins every transaction that changes alarms (the rule engine's and staff's).
  const rollUpOutages = outageRollUp(families);
  // The objects in memory, built once: lookups by number and spatial queries read it, changes write through it;
  // what another process or SQL changes in the table reaches it within a couple of seconds.
  const objectSync = await ObjectSync.load({ db, log: opts.logger, intervalMs: opts.objectSyncMs });
  const objects = objectSync.objects;
  // One subscription for every part that hears committed readings (live state, alarm rules, the stream).
  const readings = opts.readings && new SharedReadings(opts.readings);
  const live = await LiveTwin.start({
    db,
    objects,
    readings,
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
  // The live stream on the HTTP port: committed alarm, incident and report changes (the hub), readings, KPIs.
  const stream = await LiveStream.attach(app, {
    db,
    log: opts.logger,
    objects,
    districtAggregates: () => live.aggregates(),
    readings,
    corsOrigins: opts.corsOrigins,
    demoKioskToken: opts.demoKioskToken,
    redis: opts.redisUrl ? { url: opts.redisUrl, channel: opts.streamChannel ?? 'city-stream' } : undefined,
    timings: opts.streamTimings,
  });
  const hub: LiveHub = opts.hub ? teeHub(stream, opts.hub) : stream;
  app.addHook('onClose', () => live.close());
  app.addHook('onClose', () => objectSync.close());
  const operations = AlarmOperations.start({
    db,
    hub,
    log: opts.logger,
    ...(opts.alarmOperations ?? { settings: DEFAULT_ALARM_OPERATIONS_SETTINGS }),
  });
  app.addHook('onClose', () => operations.close());
  // The alarm rules at work: committed readings and the clock through the rule engine, into alarms.
  await seedAlarmRules(db);
  const alarms = await AlarmEvaluation.start({
    db,
    objects,
    live: live.state,
    readings,
    refreshDevices: () => live.refreshNow(),
    hub,
    afterChange: rollUpOutages,
    log: opts.logger,
  });
  app.addHook('onClose', () => alarms.close());
  installInputGuards(app);
  await app.register(helmet, { contentSecurityPolicy: contentSecurityPolicy(opts.ui?.basemapUrl) });
  await app.register(cors, { origin: opts.corsOrigins && opts.corsOrigins.length > 0 ? opts.corsOrigins : false });
  await app.register(jwt, { secret: opts.auth.jwtSecret });
  installAccessControl(app, db, { demoKioskToken: opts.demoKioskToken });
  await registerOpenApi(app);
  await app.register(metricsRoute, {
    registries: [processMetrics(), ...opts.ingest.metricRegistries, operations.metrics.registry],
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
      await v1.register(healthRoute, {
        checks: { ...opts.ingest.checks, ...operations.healthChecks() },
        details: 'staff',
      });
      await v1.register(uiConfigRoute, { config: uiConfigOf(opts.ui ?? {}, opts.demoKioskToken) });
      await v1.register(authRoutes, { db, tokenTtlSeconds: opts.auth.tokenTtlSeconds });
      await v1.register(adminRoutes, { db });
      await v1.register(ingestRoutes, opts.ingest);
      await v1.register(spatialRoutes, { objects });
      await v1.register(objectsRoutes, {
        db,
        objects,
        enrich: [liveEnricher(live, db), alarmsEnricher(db), incidentsEnricher(db), commandsEnricher(db)],
        registryChanges: objectSync,
      });
      await v1.register(bindingsRoutes, { db, objects, registry: opts.ingest.registry, live });
      await v1.register(liveRoutes, { live, objects });
      await v1.register(locateRoutes, { objects });
      await v1.register(mapRoutes, { db, objects, live: live.state });
      await v1.register(reportRoutes, { db, objects, categories, hub });
      await v1.register(incidentRoutes, { db, hub });
      await v1.register(alarmRoutes, { db, hub, afterChange: rollUpOutages });
      await v1.register(commandsPlugin, {
        db,
        objects,
        hub,
        log: opts.logger,
        readings,
        publish: opts.ingest.publish,
        settings: opts.commands,
      });
      await v1.register(outageRoutes, { db, families });
      await v1.register(webhookRoutes, { db });
      await v1.register(alarmRulesRoutes, { db, rulesChanged: () => alarms.rulesChanged() });
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
    hub,
    rateLimits: { ...DEFAULT_RATE_LIMITS, ...opts.rateLimits },
    prefix: '/open311/v2',
  });
  const ngsiLdRate = { ...DEFAULT_RATE_LIMITS, ...opts.rateLimits }.api;
  await app.register(ngsiLdRoutes, { objects, live, rateLimit: ngsiLdRate, prefix: '/ngsi-ld/v1' });
  if (opts.dashboard) await app.register(dashboardPages, opts.dashboard);
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
