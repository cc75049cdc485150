-- The city's numbered objects and what they refer to: object types, utilities and districts.
-- Types and utilities are data (reference-data/*.json, seeded at start if absent); a city adds
-- its own with an import or plain SQL. The column limits are the importer's (objects/object-limits.ts).

CREATE TABLE object_types (
  id text PRIMARY KEY CHECK (id ~ '^[a-z][a-z0-9_]{0,31}$'),
  -- The letters painted before the district and sequence (`ОП` in `ОП-03-00417`).
  prefix text NOT NULL CHECK (char_length(prefix) BETWEEN 1 AND 8),
  label_uk text NOT NULL CHECK (char_length(label_uk) <= 128),
  label_en text NOT NULL CHECK (char_length(label_en) <= 128),
  -- {name: {kind: number|text|boolean, unit?, min?, max?, integer?, maxLength?}}
  attributes jsonb NOT NULL DEFAULT '{}' CHECK (jsonb_typeof(attributes) = 'object'),
  default_owner text
);

CREATE TABLE utilities (
  id text PRIMARY KEY CHECK (id ~ '^[a-z][a-z0-9_-]{0,63}$'),
  name_uk text NOT NULL CHECK (char_length(name_uk) <= 200),
  name_en text NOT NULL CHECK (char_length(name_en) <= 200)
);

ALTER TABLE object_types ADD FOREIGN KEY (default_owner) REFERENCES utilities (id);

CREATE TABLE districts (
  code text PRIMARY KEY CHECK (code ~ '^[0-9A-Za-z_-]{1,16}$'),
  name text NOT NULL CHECK (char_length(name) <= 128),
  name_en text CHECK (char_length(name_en) <= 128),
  -- A GeoJSON Polygon or MultiPolygon, [lon, lat] degrees.
  boundary jsonb NOT NULL CHECK (boundary ->> 'type' IN ('Polygon', 'MultiPolygon'))
);

CREATE TABLE objects (
  -- As painted and imported; looked up by number_key (contract/object-number.ts: case, dashes
  -- and Cyrillic/Latin look-alikes ignored), which is unique, so two spellings of one number
  -- cannot both be stored.
  number text PRIMARY KEY CHECK (char_length(number) BETWEEN 1 AND 64),
  number_key text NOT NULL UNIQUE CHECK (char_length(number_key) BETWEEN 1 AND 64),
  type text NOT NULL REFERENCES object_types (id),
  lat double precision NOT NULL CHECK (lat BETWEEN -90 AND 90),
  lon double precision NOT NULL CHECK (lon BETWEEN -180 AND 180),
  district text REFERENCES districts (code),
  address text CHECK (char_length(address) <= 256),
  owner_utility text REFERENCES utilities (id),
  attributes jsonb NOT NULL DEFAULT '{}' CHECK (jsonb_typeof(attributes) = 'object'),
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX objects_type ON objects (type);
CREATE INDEX objects_district ON objects (district);
CREATE INDEX objects_owner_utility ON objects (owner_utility);
