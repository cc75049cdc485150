import { pino } from 'pino';
import { ConfigError, loadConfig } from './config.ts';
import { startApi, startIngestService } from './service.ts';

/** Ingest alone (`pnpm --filter @city/ingest start`): needs a real broker; DATABASE_URL or embedded PGlite. */
async function main(): Promise<void> {
  const config = loadConfig();
  const log = pino({ level: config.logLevel });
  if (!config.mqttUrl) {
    throw new ConfigError(
      'MQTT_URL is required to run ingest alone (`pnpm start` runs everything with an embedded broker)',
    );
  }
  const service = await startIngestService(config, { log, mqttUrl: config.mqttUrl, protocolVersion: 5 });
  const api = await startApi(service, config, log);
  log.info(`ingest running; API on http://localhost:${config.port}/api/v1 (docs at /docs)`);
  const shutdown = async (signal: string) => {
    log.info({ signal }, 'shutting down: flushing buffered frames');
    await api.close();
    await service.close();
    process.exit(0);
  };
  process.once('SIGINT', () => void shutdown('SIGINT'));
  process.once('SIGTERM', () => void shutdown('SIGTERM'));
}

main().catch((err: Error) => {
  console.error(err instanceof ConfigError ? err.message : err);
  process.exit(1);
});
