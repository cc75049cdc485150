import { READINGS_TOPIC } from '../contract/topics.ts';
import { type ConfigOf, int, optionalText, setting, text } from './settings.ts';

/** An RFC 3339 time, as epoch milliseconds. */
const isoTime = (raw: string): number => {
  const ms = Date.parse(raw);
  if (Number.isNaN(ms)) throw new Error(`expected an RFC 3339 time, got "${raw}"`);
  return ms;
};

/** Ingest's section of the platform settings: its database, broker session, batching and spool. */
export const INGEST_SETTINGS = {
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
  readingsTopic: setting(
    'READINGS_TOPIC',
    READINGS_TOPIC,
    text,
    'MQTT topic each committed batch of readings is published to (QoS 1) for twin processes running apart from ingest, which subscribe to it; empty = ingest publishes none. The embedded mode hands readings over in-process',
  ),
  batchSize: setting('BATCH_SIZE', 2000, int, 'Uplinks per database write'),
  writers: setting('WRITERS', 2, int, 'Batches committed at once, each on its own database connection'),
  flushMs: setting('FLUSH_MS', 200, int, 'Longest time an uplink waits in the buffer before a write'),
  bufferLimit: setting(
    'BUFFER_LIMIT',
    100_000,
    int,
    'Uplinks held while the database is away; beyond it ingest stops reading MQTT (back-pressure)',
  ),
  timeMinMs: setting(
    'TIME_MIN',
    Date.parse('2015-01-01T00:00:00Z'),
    isoTime,
    'Events dated before this time are dead-lettered (`invalid_value`)',
  ),
  maxAheadSeconds: setting(
    'TIME_MAX_AHEAD_S',
    24 * 3600,
    int,
    'Events dated more than this many seconds after their arrival are dead-lettered (`invalid_value`)',
  ),
  deadLetterPayloadKb: setting(
    'DEAD_LETTER_PAYLOAD_KB',
    64,
    int,
    "Raw bytes of a dead letter's payload kept, in KB; its full size is stored beside them",
  ),
  adoptPerHour: setting(
    'ADOPT_PER_HOUR',
    10_000,
    int,
    'Zero-touch registration: most new devices adopted from their `model` tag in any hour; beyond it frames are dead-lettered (`adoption_limit`)',
  ),
  retentionDays: setting('RETENTION_DAYS', 730, int, 'TimescaleDB retention of raw readings'),
  spoolDir: setting<string | undefined>(
    'SPOOL_DIR',
    undefined,
    optionalText,
    'Write-ahead spool of received frames, one subfolder per MQTT client id; unset = DATA_DIR/spool, `off` = none',
  ),
} as const;

export type IngestConfig = ConfigOf<typeof INGEST_SETTINGS>;
