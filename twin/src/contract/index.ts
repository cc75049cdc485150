/**
 * The twin's contract, what clients (the dashboard, integrators) build on: the HTTP API's
 * schemas and types - ingest's routes, which the platform's server mounts, and the twin's own -
 * and the city's object types and numbering scheme. A leaf: it imports only other contracts.
 */
export * from '@city/ingest/contract';
export * from './alarm-rules.ts';
export * from './alarms.ts';
// The whole list of error codes; ingest's contract has its part of it under the same name.
export { API_ERRORS, type ApiErrorCode } from './api-errors.ts';
export * from './commands.ts';
export * from './incidents.ts';
export * from './input-limits.ts';
export * from './labels.ts';
export * from './live.ts';
export * from './locate.ts';
export * from './map.ts';
export * from './ngsi-ld.ts';
export * from './object-number.ts';
export * from './object-query.ts';
export * from './object-types.ts';
export * from './objects.ts';
export * from './open311.ts';
export * from './qr-token.ts';
export * from './reports.ts';
export * from './staff.ts';
export * from './stream.ts';
export * from './ui-config.ts';
