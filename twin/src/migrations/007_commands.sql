-- Streetlight commands (twin/src/commands): one row per device commanded, pending until an uplink
-- confirms or contradicts it or its deadline passes. In the database rather than in memory, so a
-- pending command survives a restart and any server process may settle it: every process hears
-- every reading, and the first UPDATE ... WHERE status = 'pending' wins.
CREATE TABLE commands (
  id bigserial PRIMARY KEY,
  object_number text NOT NULL CHECK (char_length(object_number) BETWEEN 1 AND 64),
  dev_eui text NOT NULL CHECK (dev_eui ~ '^[0-9a-f]{16}$'),
  action text NOT NULL CHECK (action IN ('on', 'off', 'dim')),
  level smallint CHECK (level BETWEEN 0 AND 100),
  status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'confirmed', 'failed', 'timed_out')),
  requested_by text CHECK (char_length(requested_by) <= 200),
  -- Who may see it (the stream's rooms and a dispatcher's lists): the object's at the time.
  district text,
  object_type text,
  utility text,
  f_port integer NOT NULL CHECK (f_port BETWEEN 1 AND 223),
  bytes text NOT NULL CHECK (char_length(bytes) <= 512 AND bytes ~ '^[0-9a-f]*$'),
  -- Uplinks after the command that showed another state: the first is forgiven (see contract/commands.ts).
  contradictions integer NOT NULL DEFAULT 0,
  detail text CHECK (char_length(detail) <= 500),
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  deadline timestamptz NOT NULL
);
-- What a reading looks up (the device's pending commands) and what the timeout sweep scans.
CREATE INDEX commands_pending ON commands (dev_eui) WHERE status = 'pending';
CREATE INDEX commands_pending_deadline ON commands (deadline) WHERE status = 'pending';
CREATE INDEX commands_object ON commands (object_number, id DESC);

-- The live stream announces commands too.
ALTER TABLE live_events DROP CONSTRAINT live_events_event_check;
ALTER TABLE live_events ADD CONSTRAINT live_events_event_check
  CHECK (event IN ('alarm', 'incident', 'report', 'command'));
