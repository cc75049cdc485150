import { alarmOperationsSettings } from '../alarms/outages/alarm-operations-settings.ts';
import type { PlatformConfig } from '../config.ts';
import type { ServerOptions } from './app.ts';

/** The twin's settings the server options are made of (both entry points: twin's main and the embedded mode). */
type ServerSettings = Pick<
  PlatformConfig,
  | 'corsOrigins'
  | 'liveLookbackHours'
  | 'publicUrl'
  | 'redisUrl'
  | 'streamChannel'
  | 'alarmEscalateAfterSeconds'
  | 'alarmWebhookUrl'
  | 'alarmWebhookSecret'
  | 'alarmLogRetentionDays'
  | 'dashboardDir'
  | 'basemapUrl'
  | 'basemapFile'
  | 'basemapAttribution'
  | 'wallViews'
  | 'wallRotateSeconds'
  | 'commandTimeoutSeconds'
>;

/** The server's options from the platform's settings, for a server listening on `port`. */
export function serverSettings(
  config: ServerSettings,
  port: number,
): Pick<
  ServerOptions,
  | 'corsOrigins'
  | 'liveLookbackHours'
  | 'publicUrl'
  | 'redisUrl'
  | 'streamChannel'
  | 'alarmOperations'
  | 'dashboard'
  | 'ui'
  | 'commands'
> {
  return {
    corsOrigins: config.corsOrigins,
    liveLookbackHours: config.liveLookbackHours,
    publicUrl: config.publicUrl ?? `http://localhost:${port}`,
    ...(config.redisUrl ? { redisUrl: config.redisUrl, streamChannel: config.streamChannel } : {}),
    alarmOperations: { settings: alarmOperationsSettings(config) },
    dashboard: { dir: config.dashboardDir, basemapFile: config.basemapFile },
    ui: {
      basemapUrl: config.basemapUrl,
      basemapFile: config.basemapFile,
      basemapAttribution: config.basemapAttribution,
      wallViews: config.wallViews,
      wallRotateSeconds: config.wallRotateSeconds,
    },
    commands: { timeoutMs: config.commandTimeoutSeconds * 1000 },
  };
}
