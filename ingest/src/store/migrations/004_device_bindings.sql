-- Which city object each device was bound to, and when: one row per binding, closed when the
-- device leaves the object. Readings keep the object they were taken at (readings.object_number);
-- this table says why a device's readings changed object.
CREATE TABLE IF NOT EXISTS device_bindings (
  id             bigserial PRIMARY KEY,
  dev_eui        text COLLATE "C" NOT NULL,
  object_number  text NOT NULL,
  bound_at       timestamptz NOT NULL DEFAULT now(),
  -- Who bound it (a staff member's or API key's name), null when no one said (zero-touch).
  bound_by       text,
  -- registered, changed, bind, move, existing (see device-bindings-table.ts).
  bound_reason   text NOT NULL,
  unbound_at     timestamptz,
  unbound_by     text,
  unbound_reason text
);
-- A device is on one object at a time.
CREATE UNIQUE INDEX IF NOT EXISTS device_bindings_open ON device_bindings (dev_eui) WHERE unbound_at IS NULL;
CREATE INDEX IF NOT EXISTS device_bindings_device ON device_bindings (dev_eui, bound_at);
CREATE INDEX IF NOT EXISTS device_bindings_object ON device_bindings (object_number, bound_at);

-- The one writer of that history: whatever changes devices.object_number - zero-touch adoption
-- in an ingest process that runs no twin code, POST or PATCH /devices, the twin's binding
-- routes, an operator's SQL - leaves its row here, in the same transaction. A caller that knows
-- who acts and why says so with set_config('city.actor', ..., true) and
-- set_config('city.binding_reason', ..., true) first (device-bindings-table.ts does).
-- Adoption inserts a device once (ON CONFLICT DO NOTHING does not fire it), and the device-state
-- flush does not touch object_number: the ingest hot path does not run this.
CREATE OR REPLACE FUNCTION record_device_binding() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  actor text := nullif(current_setting('city.actor', true), '');
  reason text := nullif(current_setting('city.binding_reason', true), '');
  device text := CASE WHEN TG_OP = 'DELETE' THEN OLD.dev_eui ELSE NEW.dev_eui END;
BEGIN
  -- Closing the open binding on an insert too keeps the history whole if a device was ever
  -- removed and registered again by a path that bypassed this trigger.
  UPDATE device_bindings
     SET unbound_at = now(), unbound_by = actor,
         unbound_reason = coalesce(reason, CASE WHEN TG_OP = 'DELETE' THEN 'deleted' ELSE 'changed' END)
   WHERE dev_eui = device AND unbound_at IS NULL;
  IF TG_OP <> 'DELETE' AND NEW.object_number IS NOT NULL THEN
    INSERT INTO device_bindings (dev_eui, object_number, bound_by, bound_reason)
    VALUES (NEW.dev_eui, NEW.object_number, actor,
            coalesce(reason, CASE WHEN TG_OP = 'INSERT' THEN 'registered' ELSE 'changed' END));
  END IF;
  RETURN NULL;
END
$$;

DROP TRIGGER IF EXISTS devices_binding_registered ON devices;
CREATE TRIGGER devices_binding_registered AFTER INSERT OR DELETE ON devices
  FOR EACH ROW EXECUTE FUNCTION record_device_binding();
DROP TRIGGER IF EXISTS devices_binding_changed ON devices;
CREATE TRIGGER devices_binding_changed AFTER UPDATE OF object_number ON devices
  FOR EACH ROW WHEN (OLD.object_number IS DISTINCT FROM NEW.object_number)
  EXECUTE FUNCTION record_device_binding();

-- Devices bound before this history existed start it now, dated at their registration.
INSERT INTO device_bindings (dev_eui, object_number, bound_at, bound_reason)
SELECT d.dev_eui, d.object_number, d.created_at, 'existing' FROM devices d
 WHERE d.object_number IS NOT NULL
   AND NOT EXISTS (SELECT 1 FROM device_bindings b WHERE b.dev_eui = d.dev_eui AND b.unbound_at IS NULL);
