-- The city's streets, for the base map the dashboard draws (GET /api/v1/map/base). They come with
-- an import's GeoJSON (`kind: "street"` LineStrings; objects/import/import-objects.ts), which
-- replaces them all: a file's streets have no identity of their own to update by.
CREATE TABLE streets (
  id serial PRIMARY KEY,
  name text NOT NULL CHECK (char_length(name) <= 200),
  district text REFERENCES districts (code) ON DELETE SET NULL,
  -- A GeoJSON LineString, [lon, lat] degrees (the importer checks every vertex).
  geometry jsonb NOT NULL CHECK (geometry ->> 'type' = 'LineString')
);

-- The base map's cache moves when the streets do, as for districts (003_object_changes.sql).
INSERT INTO object_registry_versions (name) VALUES ('streets');
CREATE TRIGGER streets_version AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON streets
  FOR EACH STATEMENT EXECUTE FUNCTION count_object_registry_change();
