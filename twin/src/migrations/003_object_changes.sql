-- What lets every twin process's in-memory index of objects follow the tables, whoever changes
-- them: an import served by another process, an operator's SQL. Each process polls for what
-- changed since its last look (objects/object-sync.ts).
--
-- A change is marked with the id of the transaction that wrote it (xid8), not with a time or a
-- sequence number: both are taken before the commit, so an import that runs for seconds would
-- commit rows older than ones a poll has already passed. A poll remembers instead the oldest
-- transaction still running when it looked (pg_snapshot_xmin), and next reads every change
-- written by that transaction or a later one: whatever commits after a look is at or above it.
-- A change committed before the look may be read twice, which the index takes as a no-op.

-- New rows take their transaction's id from the default, changed rows from the trigger below.
ALTER TABLE objects ADD COLUMN change_xid xid8 NOT NULL DEFAULT pg_current_xact_id();
CREATE INDEX objects_change_xid ON objects (change_xid);

-- Any UPDATE, the import's or hand-written: marked as changed, and updated_at set unless the
-- statement set it itself.
CREATE FUNCTION mark_object_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  NEW.change_xid := pg_current_xact_id();
  IF NEW.updated_at IS NOT DISTINCT FROM OLD.updated_at THEN
    NEW.updated_at := now();
  END IF;
  RETURN NEW;
END
$$;
CREATE TRIGGER objects_changed BEFORE UPDATE ON objects
  FOR EACH ROW EXECUTE FUNCTION mark_object_changed();

-- A deleted object leaves no row to poll: its number is kept here for a day (object-sync.ts
-- prunes older rows, and a process that has not polled for half that long reloads instead).
CREATE TABLE object_deletions (
  number text NOT NULL,
  number_key text NOT NULL,
  change_xid xid8 NOT NULL DEFAULT pg_current_xact_id(),
  deleted_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX object_deletions_change_xid ON object_deletions (change_xid);

-- Once per statement, over the rows it deleted: a replacing import removes thousands at once.
CREATE FUNCTION record_object_deletions() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO object_deletions (number, number_key) SELECT number, number_key FROM deleted;
  RETURN NULL;
END
$$;
CREATE TRIGGER objects_deleted AFTER DELETE ON objects REFERENCING OLD TABLE AS deleted
  FOR EACH STATEMENT EXECUTE FUNCTION record_object_deletions();

-- Districts, object types and utilities change rarely and are few: a process reads them again
-- when their counter here has moved. The objects row counts TRUNCATEs, which fire no DELETE
-- trigger: a process reloads every object when it moves.
CREATE TABLE object_registry_versions (
  name text PRIMARY KEY,
  version bigint NOT NULL DEFAULT 0
);
INSERT INTO object_registry_versions (name) VALUES ('districts'), ('object_types'), ('utilities'), ('objects');

CREATE FUNCTION count_object_registry_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE object_registry_versions SET version = version + 1 WHERE name = TG_TABLE_NAME;
  RETURN NULL;
END
$$;
CREATE TRIGGER districts_version AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON districts
  FOR EACH STATEMENT EXECUTE FUNCTION count_object_registry_change();
CREATE TRIGGER object_types_version AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON object_types
  FOR EACH STATEMENT EXECUTE FUNCTION count_object_registry_change();
CREATE TRIGGER utilities_version AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON utilities
  FOR EACH STATEMENT EXECUTE FUNCTION count_object_registry_change();
CREATE TRIGGER objects_truncated AFTER TRUNCATE ON objects
  FOR EACH STATEMENT EXECUTE FUNCTION count_object_registry_change();
