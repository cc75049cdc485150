-- Alarms: the rules that raise them, the alarms and their history, the district outages they
-- roll up into, the live stream's ordered log and the webhook outbox. Owned by the twin
-- (twin/src/alarms, twin/src/stream). As for incidents, objects are referred to by number.

-- Rules are data: the shipped defaults are added at start when missing (never overwritten),
-- and staff edit them through the API.
CREATE TABLE alarm_rules (
  id text PRIMARY KEY CHECK (id ~ '^[a-z0-9][a-z0-9_-]{0,63}$'),
  name text NOT NULL,
  -- What the alarms it raises are called (`bin_full`, `water_leak`); one active alarm per object and type.
  alarm_type text NOT NULL CHECK (alarm_type ~ '^[a-z][a-z0-9_]{0,63}$'),
  severity text NOT NULL CHECK (severity IN ('critical', 'major', 'minor', 'warning')),
  kind text NOT NULL CHECK (kind IN ('threshold', 'duration', 'change', 'no_data')),
  -- Which objects or devices: {objectType?, deviceClass?, district?, objectNumber?}, all that are given must hold.
  target jsonb NOT NULL,
  -- The kind's parameters (contract/alarm-rules.ts).
  params jsonb NOT NULL,
  enabled boolean NOT NULL DEFAULT true,
  -- Shipped with the platform (reference-data/alarm-rules.json) rather than made by staff.
  builtin boolean NOT NULL DEFAULT false,
  updated_at timestamptz NOT NULL DEFAULT now(),
  updated_by text
);

-- District outages: many alarms of one family in one district, shown as one event.
CREATE TABLE outages (
  id bigserial PRIMARY KEY,
  -- The alarm family (`water`, `lighting`): alarm types that mean the same thing for a district.
  kind text NOT NULL,
  district text NOT NULL,
  severity text NOT NULL CHECK (severity IN ('critical', 'major', 'minor', 'warning')),
  active boolean NOT NULL DEFAULT true,
  started_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  cleared_at timestamptz,
  CHECK (active = (cleared_at IS NULL))
);
CREATE UNIQUE INDEX outages_one_active ON outages (district, kind) WHERE active;
CREATE INDEX outages_started ON outages (started_at DESC, id DESC);

CREATE TABLE alarms (
  id bigserial PRIMARY KEY,
  -- What the alarm is about: an object's number as registered, or `device:{devEui}` for a
  -- device bound to no object.
  subject text NOT NULL,
  alarm_type text NOT NULL,
  rule_id text,
  severity text NOT NULL CHECK (severity IN ('critical', 'major', 'minor', 'warning')),
  active boolean NOT NULL DEFAULT true,
  acknowledged boolean NOT NULL DEFAULT false,
  object_number text,
  object_type text,
  district text,
  -- Who works it: the object's owner (dispatchers see their own).
  utility text,
  -- The device whose reading raised it (the latest one that counted).
  dev_eui text,
  lat double precision,
  lon double precision,
  message text NOT NULL,
  value double precision,
  -- Readings that met the rule while it was active, each counted once (alarm_hits).
  count integer NOT NULL DEFAULT 1 CHECK (count >= 1),
  raised_at timestamptz NOT NULL DEFAULT now(),
  -- The device times of the first and latest readings that counted; a reading older than the
  -- latest one cannot clear it (readings arrive out of order through several ingest processes).
  first_reading_at timestamptz NOT NULL,
  last_reading_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL DEFAULT now(),
  acknowledged_at timestamptz,
  acknowledged_by text,
  cleared_at timestamptz,
  -- A staff member or API key, or `rule` when the rule cleared it.
  cleared_by text,
  assignee text,
  escalated_at timestamptz,
  outage_id bigint REFERENCES outages (id),
  CHECK (active = (cleared_at IS NULL)),
  CHECK (acknowledged = (acknowledged_at IS NOT NULL))
);
-- One active alarm per subject and type, across every process: a repeat meets the row here
-- (INSERT ... ON CONFLICT) and counts instead of raising another.
CREATE UNIQUE INDEX alarms_one_active ON alarms (subject, alarm_type) WHERE active;
CREATE INDEX alarms_raised ON alarms (raised_at DESC, id DESC);
CREATE INDEX alarms_active_district ON alarms (district, alarm_type) WHERE active;
CREATE INDEX alarms_outage ON alarms (outage_id) WHERE outage_id IS NOT NULL;
CREATE INDEX alarms_escalating ON alarms (raised_at)
  WHERE active AND NOT acknowledged AND escalated_at IS NULL AND severity = 'critical';

-- Every reading that counted toward an alarm: a replayed uplink, or one seen by two server
-- processes, counts once. Pruned after a while (twin/src/alarms).
CREATE TABLE alarm_hits (
  subject text NOT NULL,
  alarm_type text NOT NULL,
  dev_eui text NOT NULL,
  reading_at timestamptz NOT NULL,
  at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (subject, alarm_type, dev_eui, reading_at)
);
CREATE INDEX alarm_hits_at ON alarm_hits (at);

-- What happened to an alarm: raised, acknowledged, assigned, commented, escalated, cleared.
CREATE TABLE alarm_events (
  id bigserial PRIMARY KEY,
  alarm_id bigint NOT NULL REFERENCES alarms (id) ON DELETE CASCADE,
  at timestamptz NOT NULL DEFAULT now(),
  kind text NOT NULL
    CHECK (kind IN ('raised', 'acknowledged', 'assigned', 'commented', 'escalated', 'severity', 'cleared')),
  -- A staff member or API key; null for the rule engine.
  actor text,
  comment text,
  detail jsonb
);
CREATE INDEX alarm_events_alarm ON alarm_events (alarm_id, id);

-- The live stream's log: each alarm, incident and report change a wall screen must not miss, in
-- the transaction that made it. A client that reconnects resumes from the last id it saw.
-- Pruned after a while.
CREATE TABLE live_events (
  id bigserial PRIMARY KEY,
  at timestamptz NOT NULL DEFAULT clock_timestamp(),
  event text NOT NULL CHECK (event IN ('alarm', 'incident', 'report')),
  -- Who may see it and which rooms it goes to.
  district text,
  object_type text,
  utility text,
  payload jsonb NOT NULL
);
CREATE INDEX live_events_at ON live_events (at);

-- Webhook deliveries (escalations to e-mail, SMS or Telegram gateways): an outbox, so a
-- delivery survives a restart and is made once by whichever process takes it first.
CREATE TABLE webhook_deliveries (
  id bigserial PRIMARY KEY,
  event text NOT NULL,
  payload jsonb NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  attempts integer NOT NULL DEFAULT 0,
  next_attempt_at timestamptz NOT NULL DEFAULT now(),
  delivered_at timestamptz,
  gave_up_at timestamptz,
  last_status integer,
  last_error text
);
CREATE INDEX webhook_deliveries_due ON webhook_deliveries (next_attempt_at)
  WHERE delivered_at IS NULL AND gave_up_at IS NULL;
