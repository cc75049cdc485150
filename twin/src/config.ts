import {
  type ConfigOf,
  INGEST_SETTINGS,
  int,
  loadSettings,
  optionalText,
  PROCESS_SETTINGS,
  setting,
} from '@city/ingest';

/** `a, b` -> ['a', 'b']; empty entries dropped. */
const list = (raw: string) =>
  raw
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s.length > 0);

/** The twin's own section: staff access, browsers' origins, fan-out between server replicas. */
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
