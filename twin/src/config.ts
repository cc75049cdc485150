import { type ConfigOf, INGEST_SETTINGS, loadSettings, optionalText, PROCESS_SETTINGS, setting } from '@city/ingest';

/** The twin's own section: fan-out of the live stream between server replicas. */
export const TWIN_SETTINGS = {
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
