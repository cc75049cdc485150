/**
 * One schema for every setting: name, default, environment variable, parser.
 * `loadConfig(env)` derives the whole config from the environment and fails at startup
 * with one message that lists every bad value, rather than at first use.
 */

type Parser<T> = (raw: string) => T;

interface Setting<T> {
  env: string;
  default: T;
  parse: Parser<T>;
  doc: string;
}

const int: Parser<number> = (raw) => {
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 0) throw new Error(`expected a non-negative integer, got "${raw}"`);
  return n;
};
const text: Parser<string> = (raw) => raw;
const optionalText: Parser<string | undefined> = (raw) => (raw === '' ? undefined : raw);
const oneOf =
  <T extends string>(...values: T[]): Parser<T> =>
  (raw) => {
    if (!(values as string[]).includes(raw)) throw new Error(`expected one of ${values.join(', ')}, got "${raw}"`);
    return raw as T;
  };

function setting<T>(env: string, def: T, parse: Parser<T>, doc: string): Setting<T> {
  return { env, default: def, parse, doc };
}

export const SETTINGS = {
  port: setting('PORT', 8080, int, 'HTTP port of the API, the OpenAPI page and /metrics'),
  host: setting('HOST', '0.0.0.0', text, 'Address the HTTP server binds to'),
  mqttPort: setting('MQTT_PORT', 1883, int, 'Port of the embedded MQTT broker (embedded mode only)'),
  databaseUrl: setting<string | undefined>(
    'DATABASE_URL',
    undefined,
    optionalText,
    'PostgreSQL (TimescaleDB when installed) connection string; unset = embedded PGlite',
  ),
  dataDir: setting('DATA_DIR', './data', text, 'Where the embedded database keeps its files'),
  mqttUrl: setting<string | undefined>(
    'MQTT_URL',
    undefined,
    optionalText,
    'Broker URL (mqtt://host:port); unset = the embedded broker',
  ),
  redisUrl: setting<string | undefined>(
    'REDIS_URL',
    undefined,
    optionalText,
    'Redis for fan-out between API replicas (used by the twin); unset = in-process',
  ),
  mqttClientId: setting('MQTT_CLIENT_ID', 'city-ingest', text, 'Client id of the persistent MQTT session'),
  mqttShareGroup: setting<string | undefined>(
    'MQTT_SHARE_GROUP',
    undefined,
    optionalText,
    'MQTT v5 shared-subscription group: replicas with the same group split the event stream',
  ),
  sessionExpirySeconds: setting(
    'MQTT_SESSION_EXPIRY_S',
    7 * 24 * 3600,
    int,
    "MQTT v5: how long the broker keeps ingest's session, and queues events for it, while ingest is away",
  ),
  eventTopic: setting(
    'EVENT_TOPIC',
    'application/+/device/+/event/+',
    text,
    'ChirpStack v4 event topic filter (ChirpStack: application/{{application_id}}/device/{{dev_eui}}/event/{{event}})',
  ),
  ttsTopic: setting('TTS_TOPIC', 'v3/+/devices/+/up', text, 'The Things Stack v3 uplink topic filter; empty = off'),
  batchSize: setting('BATCH_SIZE', 2000, int, 'Uplinks per database write'),
  writers: setting('WRITERS', 2, int, 'Batches committed at once, each on its own database connection'),
  flushMs: setting('FLUSH_MS', 200, int, 'Longest time an uplink waits in the buffer before a write'),
  bufferLimit: setting(
    'BUFFER_LIMIT',
    100_000,
    int,
    'Uplinks held while the database is away; beyond it ingest stops reading MQTT (back-pressure)',
  ),
  retentionDays: setting('RETENTION_DAYS', 730, int, 'TimescaleDB retention of raw readings'),
  spoolDir: setting<string | undefined>(
    'SPOOL_DIR',
    undefined,
    optionalText,
    'Write-ahead spool of received frames, one subfolder per MQTT client id; unset = DATA_DIR/spool, `off` = none',
  ),
  demoDevices: setting('DEMO_DEVICES', 5000, int, 'Embedded mode: how many simulated devices firmware-sim plays'),
  demoSpeed: setting('DEMO_SPEED', 30, int, 'Embedded mode: simulated time runs this many times faster than real time'),
  logLevel: setting(
    'LOG_LEVEL',
    'info',
    oneOf('fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'),
    'pino log level',
  ),
} as const;

export type Config = { -readonly [K in keyof typeof SETTINGS]: (typeof SETTINGS)[K]['default'] };

export class ConfigError extends Error {}

export function loadConfig(env: NodeJS.ProcessEnv = process.env, overrides: Partial<Config> = {}): Config {
  const problems: string[] = [];
  const config = {} as Record<string, unknown>;
  for (const [key, s] of Object.entries(SETTINGS) as [string, Setting<unknown>][]) {
    const raw = env[s.env];
    if (raw === undefined) {
      config[key] = s.default;
      continue;
    }
    try {
      config[key] = s.parse(raw.trim());
    } catch (err) {
      problems.push(`${s.env}: ${(err as Error).message}`);
    }
  }
  if (problems.length > 0) throw new ConfigError(`invalid configuration:\n  ${problems.join('\n  ')}`);
  return { ...(config as Config), ...overrides };
}
