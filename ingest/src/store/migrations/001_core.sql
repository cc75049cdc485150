-- Identifiers (devEui, metric names, event types) are ASCII: COLLATE "C" compares them bytewise,
-- which keeps the primary-key indexes the hot insert path maintains noticeably cheaper.

-- Device registry: which model decodes a device, which city object it is bound to, and
-- its last radio and battery figures (updated by every uplink and status event).
CREATE TABLE IF NOT EXISTS devices (
  dev_eui        text COLLATE "C" PRIMARY KEY,
  model          text NOT NULL,
  name           text NOT NULL DEFAULT '',
  application_id text NOT NULL DEFAULT '',
  object_number  text,
  -- Per-device normalisation settings, e.g. {"binDepthMm": 1100}.
  settings       jsonb NOT NULL DEFAULT '{}',
  created_at     timestamptz NOT NULL DEFAULT now(),
  updated_at     timestamptz NOT NULL DEFAULT now(),
  last_seen      timestamptz,
  f_cnt          bigint,
  rssi           real,
  snr            real,
  battery        real,
  margin         integer
);
CREATE INDEX IF NOT EXISTS devices_updated_at ON devices (updated_at);
CREATE INDEX IF NOT EXISTS devices_object ON devices (object_number);

-- One row per uplink with its LoRaWAN metadata. The key makes a replayed uplink a no-op:
-- the same event carries the same device, frame counter and network-server time.
CREATE TABLE IF NOT EXISTS uplinks (
  time       timestamptz NOT NULL,
  dev_eui    text COLLATE "C" NOT NULL,
  f_cnt      bigint NOT NULL,
  f_port     integer NOT NULL,
  dedup_id   text NOT NULL DEFAULT '',
  dev_addr   text NOT NULL DEFAULT '',
  dr         smallint NOT NULL DEFAULT 0,
  frequency  bigint NOT NULL DEFAULT 0,
  rssi       real,
  snr        real,
  gateway_id text,
  gateways   smallint NOT NULL DEFAULT 0,
  PRIMARY KEY (dev_eui, time, f_cnt)
);

-- The narrow time series every chart, rule and aggregate reads: one value per metric.
-- Radio figures (rssi, snr) are not repeated here: they live once, in `uplinks`, and the
-- readings API serves them from there.
CREATE TABLE IF NOT EXISTS readings (
  time          timestamptz NOT NULL,
  dev_eui       text COLLATE "C" NOT NULL,
  object_number text,
  metric        text COLLATE "C" NOT NULL,
  value         double precision NOT NULL,
  PRIMARY KEY (dev_eui, metric, time)
);

-- Non-uplink ChirpStack events (status, join, ack, txack, log, location), kept for history.
CREATE TABLE IF NOT EXISTS device_events (
  time    timestamptz NOT NULL,
  dev_eui text COLLATE "C" NOT NULL,
  type    text COLLATE "C" NOT NULL,
  detail  jsonb NOT NULL DEFAULT '{}',
  PRIMARY KEY (dev_eui, type, time)
);

-- Frames that could not become readings, with the raw bytes so they can be replayed once fixed.
CREATE TABLE IF NOT EXISTS dead_letters (
  id          bigserial PRIMARY KEY,
  received_at timestamptz NOT NULL DEFAULT now(),
  topic       text NOT NULL,
  payload     bytea NOT NULL,
  reason      text NOT NULL,
  detail      text NOT NULL,
  dev_eui     text,
  -- md5(topic || payload): the same bad frame delivered twice is kept once.
  fingerprint text NOT NULL UNIQUE
);
CREATE INDEX IF NOT EXISTS dead_letters_received ON dead_letters (received_at DESC);
