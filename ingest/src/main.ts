import { pino } from 'pino';
import { INGEST_SETTINGS } from './config/ingest-settings.ts';
import { PROCESS_SETTINGS } from './config/process-settings.ts';
import { ConfigError, loadSettings } from './config/settings.ts';
import { startOpsServer } from './http/ops-server.ts';
import { runService } from './run-service.ts';
import { startIngestService } from './service.ts';

/**
 * Ingest alone, headless (`pnpm --filter @city/ingest start`): the pipeline on a real broker,
 * DATABASE_URL or embedded PGlite, with `/api/v1/health` and `/metrics` on PORT. Several run
 * side by side on one shared subscription (MQTT_SHARE_GROUP).
 */
runService(async () => {
  const config = loadSettings({ ...PROCESS_SETTINGS, ...INGEST_SETTINGS });
  const log = pino({ level: config.logLevel });
  if (!config.mqttUrl) {
    throw new ConfigError(
      'MQTT_URL is required to run ingest alone (`pnpm start` runs everything with an embedded broker)',
    );
  }
  const service = await startIngestService(config, { log, mqttUrl: config.mqttUrl, protocolVersion: 5 });
  const ops = await startOpsServer(service.api, { log, port: config.port, host: config.host });
  log.info(`ingest running; health on http://localhost:${config.port}/api/v1/health, metrics on /metrics`);
  return {
    log,
    stop: async () => {
      await ops.close();
      await service.close();
    },
  };
});
