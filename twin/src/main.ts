import { ConfigError, openIngestApiBackend, runService } from '@city/ingest';
import { pino } from 'pino';
import { ensureAccount } from './access/accounts.ts';
import { jwtSecret } from './access/jwt-secret.ts';
import { loadPlatformConfig } from './config.ts';
import { startServer } from './server/app.ts';

/**
 * The platform's server alone (`pnpm --filter @city/twin start`), as production runs it beside
 * separate ingest processes: the HTTP API on PORT over DATABASE_URL, downlinks through MQTT_URL.
 */
runService(async () => {
  const config = loadPlatformConfig();
  const log = pino({ level: config.logLevel });
  if (!config.mqttUrl) {
    throw new ConfigError('MQTT_URL is required to run the server alone (`pnpm start` runs everything embedded)');
  }
  const auth = { jwtSecret: jwtSecret(config, { embedded: false }), tokenTtlSeconds: config.tokenTtlSeconds };
  const ingest = await openIngestApiBackend(config, { log, mqttUrl: config.mqttUrl });
  const server = await startServer(
    { logger: log, ingest, auth, corsOrigins: config.corsOrigins },
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
