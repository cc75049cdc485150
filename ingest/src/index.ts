export { CODECS, findCodec } from './codecs/index.ts';
export * from './config/ingest-settings.ts';
export * from './config/process-settings.ts';
export { redactUrl } from './config/redact-url.ts';
export * from './config/settings.ts';
export * from './contract/index.ts';
export { DeviceRegistry } from './devices/registry.ts';
export { type IngestApiBackend, openIngestApiBackend, type Publish } from './http/api-backend.ts';
export { installErrorHandling } from './http/error-handling.ts';
export { ingestRoutes } from './http/ingest-routes.ts';
export { installInputGuards } from './http/input-guards.ts';
export { type HealthChecks, healthRoute, metricsRoute, processMetrics } from './http/ops-routes.ts';
export { type BrokerAccount, networkServerAccount } from './mqtt/broker-accounts.ts';
export { type EmbeddedBroker, MAX_PACKET_BYTES, startEmbeddedBroker } from './mqtt/embedded-broker.ts';
export { type ReadingsSubscription, subscribeReadings } from './outputs/index.ts';
export type { IngestEvents } from './pipeline/ingest.ts';
export { type RunningService, runService } from './run-service.ts';
export { type IngestService, startIngestService } from './service.ts';
export {
  type Db,
  EMBEDDED_START_PARAMS,
  openDb,
  openPglite,
  openPostgres,
  pgliteDb,
  type Queryable,
} from './store/db.ts';
export { isDataError } from './store/db-errors.ts';
export {
  type BindingRow,
  changeBinding,
  deviceBindings,
  devicesUnboundSince,
  objectBindings,
} from './store/device-bindings-table.ts';
export { type DeviceStatus, deviceStatusesSince, getDevice, listDevices } from './store/devices-table.ts';
export { isoTime } from './store/iso-time.ts';
export { applyMigrations, migrate } from './store/migrate.ts';
export { numberArray, textArray } from './store/pg-arrays.ts';
export { type LatestReading, latestReadings, latestReadingsPerObject } from './store/readings-table.ts';
