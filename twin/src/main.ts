import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { ConfigError, openIngestApiBackend, runService } from '@city/ingest';
import { pino } from 'pino';
import { ensureAccount } from './access/accounts.ts';
import { jwtSecret } from './access/jwt-secret.ts';
import { loadPlatformConfig } from './config.ts';
import { brokerReadings } from './live/readings-source.ts';
import { startServer } from './server/app.ts';
import { serverSettings } from './server/server-settings.ts';

/**
 * The platform's server alone (`pnpm --filter @city/twin start`), as production runs it beside
 * separate ingest processes: the HTTP API on PORT over DATABASE_URL, downlinks through MQTT_URL,
 * and the committed readings ingest publishes on READINGS_TOPIC for the objects' live state.
 */
runService(async () => {
  const config = loadPlatformConfig();
  const log = pino({ level: config.logLevel });
  if (!config.mqttUrl) {
    throw new ConfigError('MQTT_URL is required to run the server alone (`pnpm start` runs everything embedded)');
  }
  const auth = { jwtSecret: jwtSecret(config, { embedded: false }), tokenTtlSeconds: config.tokenTtlSeconds };
  const ingest = await openIngestApiBackend(config, { log, mqttUrl: config.mqttUrl });
  // A session of this process's own (several servers may run): it lasts while the process runs
  // and survives a broker restart; a new start reads the database again anyway.
  const readings = config.readingsTopic
    ? brokerReadings({
        url: config.mqttUrl,
        topic: config.readingsTopic,
        clientId: `city-twin-${hostname()}-${randomBytes(3).toString('hex')}`,
        log,
      })
    : undefined;
  if (!readings) log.warn('READINGS_TOPIC is empty: live state shows what the database held at start');
  const server = await startServer(
    {
      logger: log,
      ingest,
      auth,
      readings,
      ...serverSettings(config, config.port),
    },
    { port: config.port, host: config.host },
  );
  if (config.adminUser && config.adminPassword) {
    const spec = { username: config.adminUser, password: config.adminPassword, role: 'admin' as const };
    if (await ensureAccount(ingest.db, spec, { demo: false })) log.info(`admin account ${config.adminUser} created`);
  }
  log.info(`platform server running; API on http://localhost:${config.port}/api/v1 (docs at /docs)`);
  return {
    log,
    stop: async () => {
      await server.close();
      await ingest.close();
    },
  };
});
