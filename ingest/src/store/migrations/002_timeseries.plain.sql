-- Plain PostgreSQL: rows arrive in time order, so a BRIN index on time is tiny and lets
-- range scans skip most of the table; bucketed queries use date_bin.
CREATE INDEX IF NOT EXISTS readings_time_brin ON readings USING brin (time);
CREATE INDEX IF NOT EXISTS uplinks_time_brin ON uplinks USING brin (time);
CREATE INDEX IF NOT EXISTS device_events_time_brin ON device_events USING brin (time);
