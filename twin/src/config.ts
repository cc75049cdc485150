import { fileURLToPath } from 'node:url';
import {
  type ConfigOf,
  INGEST_SETTINGS,
  int,
  loadSettings,
  optionalText,
  PROCESS_SETTINGS,
  setting,
  text,
} from '@city/ingest';
import { WALL_VIEWS, type WallView } from './contract/ui-config.ts';

/** `a, b` -> ['a', 'b']; empty entries dropped. */
const list = (raw: string) =>
  raw
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s.length > 0);

/**
 * An http(s) URL without credentials, query or fragment, as a base to append paths to (no
 * trailing slash): a typo here is printed on every QR label, so it stops the start instead.
 */
const baseUrl = (raw: string): string => {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new Error(`expected an http(s) URL, got "${raw}"`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new Error(`expected an http(s) URL, got "${raw}"`);
  }
  if (url.username || url.password || url.search || url.hash) {
    // Not echoed: it may hold a password.
    throw new Error('expected a URL without credentials, query or fragment');
  }
  return `${url.origin}${url.pathname}`.replace(/\/+$/, '');
};

/** The twin's own section: staff access, browsers' origins, fan-out between server replicas, the public address. */
export const TWIN_SETTINGS = {
  jwtSecret: setting<string | undefined>(
    'JWT_SECRET',
    undefined,
    optionalText,
    'Key that signs staff tokens (32+ characters; every server replica the same); required unless embedded, where one is kept in DATA_DIR',
  ),
  tokenTtlSeconds: setting('TOKEN_TTL_S', 12 * 3600, int, 'How long a staff token lives (a shift)'),
  corsOrigins: setting<string[]>(
    'CORS_ORIGINS',
    [],
    list,
    'Comma-separated origins browsers may call the API from; empty = same origin only',
  ),
  adminUser: setting<string | undefined>(
    'ADMIN_USER',
    undefined,
    optionalText,
    'Production: an admin account created at start if it does not exist (with ADMIN_PASSWORD)',
  ),
  adminPassword: setting<string | undefined>(
    'ADMIN_PASSWORD',
    undefined,
    optionalText,
    'Production: its password; published and demo passwords are refused',
  ),
  redisUrl: setting<string | undefined>(
    'REDIS_URL',
    undefined,
    optionalText,
    'Redis for fan-out between API replicas (used by the twin); unset = in-process',
  ),
  streamChannel: setting(
    'STREAM_CHANNEL',
    'city-stream',
    text,
    'Prefix of the Redis channels the live stream shares between API replicas; deployments sharing one Redis each use their own',
  ),
  liveLookbackHours: setting(
    'LIVE_LOOKBACK_H',
    48,
    int,
    "How far back a server's start reads each object's newest values for its live state; older values are not shown",
  ),
  publicUrl: setting<string | undefined>(
    'PUBLIC_URL',
    undefined,
    (raw) => (raw === '' ? undefined : baseUrl(raw)),
    'Address residents reach the platform at (http or https, a path allowed): QR labels open `PUBLIC_URL/r/{number}`; unset = http://localhost and the port the server listens on',
  ),
  alarmEscalateAfterSeconds: setting(
    'ALARM_ESCALATE_AFTER_S',
    900,
    int,
    'An active critical alarm nobody acknowledged escalates this long after it was raised (an `escalated` event and a webhook call)',
  ),
  alarmWebhookUrl: setting<string | undefined>(
    'ALARM_WEBHOOK_URL',
    undefined,
    optionalText,
    'http(s) URL escalations are POSTed to (an e-mail, SMS or Telegram gateway), signed with ALARM_WEBHOOK_SECRET; unset = no webhook',
  ),
  alarmWebhookSecret: setting<string | undefined>(
    'ALARM_WEBHOOK_SECRET',
    undefined,
    optionalText,
    "Key of the webhook calls' HMAC-SHA256 signature (32+ characters); required with ALARM_WEBHOOK_URL",
  ),
  alarmLogRetentionDays: setting(
    'ALARM_LOG_RETENTION_DAYS',
    7,
    int,
    "How long the live stream's log (what a reconnecting screen resumes from), alarm hits (replay protection) and finished webhook deliveries are kept",
  ),
  dashboardDir: setting(
    'DASHBOARD_DIR',
    fileURLToPath(new URL('../../dashboard/dist', import.meta.url)),
    text,
    "The dashboard's built files the server serves at `/`, `/desk` and `/r` (`pnpm start` builds them when the sources changed)",
  ),
  basemapUrl: setting<string | undefined>(
    'BASEMAP_URL',
    undefined,
    optionalText,
    "The wall's base map instead of the one drawn from the twin's data: a PMTiles file (`.pmtiles`), an XYZ tile URL (`{z}/{x}/{y}`) or a MapLibre style URL",
  ),
  basemapFile: setting<string | undefined>(
    'BASEMAP_FILE',
    undefined,
    optionalText,
    'A PMTiles file on this server to use as the base map, served at /basemap.pmtiles (offline; takes precedence over BASEMAP_URL)',
  ),
  basemapAttribution: setting<string | undefined>(
    'BASEMAP_ATTRIBUTION',
    undefined,
    optionalText,
    "The base map's credit line, as its licence asks (e.g. © OpenStreetMap contributors)",
  ),
  wallViews: setting<WallView[]>(
    'WALL_VIEWS',
    [],
    (raw) => {
      const views = list(raw);
      const unknown = views.filter((v) => !(WALL_VIEWS as readonly string[]).includes(v));
      if (unknown.length > 0)
        throw new Error(`unknown view ${unknown.join(', ')}; the views are ${WALL_VIEWS.join(', ')}`);
      return views as WallView[];
    },
    'Views the wall rotates through in kiosk mode (comma-separated: city, alarms, air, outages); empty = no rotation',
  ),
  wallRotateSeconds: setting(
    'WALL_ROTATE_S',
    30,
    (raw) => {
      const seconds = int(raw);
      if (seconds < 5 || seconds > 3600) throw new Error(`expected 5 to 3600 seconds, got ${seconds}`);
      return seconds;
    },
    'How long each of WALL_VIEWS shows (5-3600 s)',
  ),
  commandTimeoutSeconds: setting(
    'COMMAND_TIMEOUT_S',
    120,
    (raw) => {
      const seconds = int(raw);
      if (seconds < 5 || seconds > 86_400) throw new Error(`expected 5 to 86400 seconds, got ${seconds}`);
      return seconds;
    },
    'A streetlight command no uplink confirmed within this many seconds times out (5-86400; a Class A device answers after its next report interval, so give it one)',
  ),
} as const;

/**
 * The platform's one settings schema: each part contributes its section (the process's
 * listener and log, ingest's, the twin's). The embedded mode adds its own (infra).
 */
export const PLATFORM_SETTINGS = { ...PROCESS_SETTINGS, ...INGEST_SETTINGS, ...TWIN_SETTINGS } as const;

export type PlatformConfig = ConfigOf<typeof PLATFORM_SETTINGS>;

export function loadPlatformConfig(
  env: NodeJS.ProcessEnv = process.env,
  overrides: Partial<PlatformConfig> = {},
): PlatformConfig {
  return loadSettings(PLATFORM_SETTINGS, env, overrides);
}
