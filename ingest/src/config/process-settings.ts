import { int, oneOf, setting, text } from './settings.ts';

/**
 * What every service process has, whichever parts it runs: its HTTP listener (the platform's
 * API, or a headless ingest's /health and /metrics) and its log level.
 */
export const PROCESS_SETTINGS = {
  port: setting('PORT', 8080, int, 'HTTP port of the API, the OpenAPI page and /metrics'),
  host: setting('HOST', '127.0.0.1', text, 'Address the HTTP server binds to (0.0.0.0: every interface)'),
  logLevel: setting(
    'LOG_LEVEL',
    'info',
    oneOf('fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'),
    'pino log level',
  ),
} as const;
