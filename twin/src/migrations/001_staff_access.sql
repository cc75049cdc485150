-- Staff accounts, their sessions, API keys for integrations and wall screens, and the audit
-- log of every state-changing request. Owned by the twin (names in schema_migrations: twin/...).

CREATE TABLE staff_users (
  username text PRIMARY KEY,
  password_hash text NOT NULL,
  role text NOT NULL CHECK (role IN ('admin', 'operator', 'dispatcher', 'viewer')),
  utility text,
  disabled boolean NOT NULL DEFAULT false,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);

-- One row per issued token (its JWT id), so a token can be revoked before it expires.
CREATE TABLE staff_sessions (
  jti text PRIMARY KEY,
  username text NOT NULL REFERENCES staff_users (username) ON DELETE CASCADE,
  issued_at timestamptz NOT NULL DEFAULT now(),
  expires_at timestamptz NOT NULL,
  revoked_at timestamptz
);
CREATE INDEX staff_sessions_username ON staff_sessions (username);

-- Keys are stored as the SHA-256 of the key: they are long random strings, so a hash that can
-- be looked up is as safe as a slow one, and each request finds its key in one index probe.
CREATE TABLE api_keys (
  id bigserial PRIMARY KEY,
  name text NOT NULL,
  key_hash text NOT NULL UNIQUE,
  role text NOT NULL CHECK (role IN ('admin', 'operator', 'dispatcher', 'viewer', 'kiosk')),
  utility text,
  created_by text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  revoked_at timestamptz
);

CREATE TABLE audit_log (
  id bigserial PRIMARY KEY,
  at timestamptz NOT NULL DEFAULT now(),
  actor text,
  role text,
  action text NOT NULL,
  target text,
  ip text NOT NULL,
  status integer NOT NULL
);
CREATE INDEX audit_log_actor ON audit_log (actor, id);
