-- Residents' reports and the incidents dispatchers work. Owned by the twin (twin/src/reports,
-- twin/src/incidents). Objects are referred to by their number as painted, not by a foreign
-- key: a city may replace its object file, and an incident keeps the place it was reported at.

CREATE TABLE incidents (
  id bigserial PRIMARY KEY,
  object_number text NOT NULL,
  object_type text NOT NULL,
  category text NOT NULL,
  status text NOT NULL DEFAULT 'new'
    CHECK (status IN ('new', 'acknowledged', 'assigned', 'in_progress', 'resolved', 'rejected', 'duplicate')),
  -- The utility that works it (the object's owner, else the category's); dispatchers see their own.
  utility text,
  assignee_kind text CHECK (assignee_kind IN ('crew', 'utility')),
  assignee text,
  duplicate_of bigint REFERENCES incidents (id),
  lat double precision NOT NULL,
  lon double precision NOT NULL,
  district text,
  address text,
  report_count integer NOT NULL DEFAULT 1,
  opened_at timestamptz NOT NULL DEFAULT now(),
  last_report_at timestamptz NOT NULL DEFAULT now(),
  sla_due_at timestamptz NOT NULL,
  closed_at timestamptz,
  updated_at timestamptz NOT NULL DEFAULT now(),
  -- True while new reports on the same object and category join this incident: it is open and
  -- its latest report is within the category's merge window. Cleared when it closes, or lazily
  -- when a report arrives after the window.
  collecting boolean NOT NULL DEFAULT true,
  CHECK (status = 'duplicate' OR duplicate_of IS NULL),
  CHECK (NOT collecting OR closed_at IS NULL)
);
-- At most one collecting incident per object and category: two reports at the same moment
-- meet here (INSERT ... ON CONFLICT), so they merge even across server processes.
CREATE UNIQUE INDEX incidents_collecting ON incidents (object_number, category) WHERE collecting;
CREATE INDEX incidents_opened ON incidents (opened_at DESC, id DESC);
CREATE INDEX incidents_utility_status ON incidents (utility, status);
CREATE INDEX incidents_object ON incidents (object_number);

-- What happened to an incident: status changes, comments, reports joining it.
CREATE TABLE incident_events (
  id bigserial PRIMARY KEY,
  incident_id bigint NOT NULL REFERENCES incidents (id) ON DELETE CASCADE,
  at timestamptz NOT NULL DEFAULT now(),
  kind text NOT NULL CHECK (kind IN ('status', 'comment', 'report')),
  from_status text,
  status text,
  comment text,
  -- Shown to the residents who reported it (their tracking code's history and Open311).
  public boolean NOT NULL DEFAULT false,
  -- Who did it: a staff username or API key name; null for a resident's report.
  actor text,
  report_id bigint
);
CREATE INDEX incident_events_incident ON incident_events (incident_id, id);

-- One row per resident report; each keeps its own tracking code. The contact is private: only
-- staff who act on incidents read it.
CREATE TABLE reports (
  id bigserial PRIMARY KEY,
  tracking_code text NOT NULL UNIQUE,
  incident_id bigint NOT NULL REFERENCES incidents (id),
  object_number text NOT NULL,
  category text NOT NULL,
  description text,
  contact text,
  source text NOT NULL CHECK (source IN ('api', 'open311')),
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX reports_incident ON reports (incident_id, id);

-- A report's photo apart from the report, so lists of reports never read the bytes.
CREATE TABLE report_photos (
  report_id bigint PRIMARY KEY REFERENCES reports (id) ON DELETE CASCADE,
  content_type text NOT NULL CHECK (content_type IN ('image/jpeg', 'image/png', 'image/webp')),
  bytes integer NOT NULL,
  data bytea NOT NULL
);
