-- TimescaleDB present: hypertables, compressed after a week segmented by device and metric
-- (a chart reads one device's metric), raw data dropped by the retention policy
-- (set from RETENTION_DAYS at startup), and an hourly continuous aggregate for dashboards.
SELECT create_hypertable('readings', by_range('time', INTERVAL '1 day'), if_not_exists => true);
SELECT create_hypertable('uplinks', by_range('time', INTERVAL '1 day'), if_not_exists => true);
SELECT create_hypertable('device_events', by_range('time', INTERVAL '7 days'), if_not_exists => true);

ALTER TABLE readings SET (timescaledb.compress, timescaledb.compress_segmentby = 'dev_eui, metric', timescaledb.compress_orderby = 'time DESC');
ALTER TABLE uplinks SET (timescaledb.compress, timescaledb.compress_segmentby = 'dev_eui', timescaledb.compress_orderby = 'time DESC');
SELECT add_compression_policy('readings', INTERVAL '7 days', if_not_exists => true);
SELECT add_compression_policy('uplinks', INTERVAL '7 days', if_not_exists => true);

CREATE MATERIALIZED VIEW IF NOT EXISTS readings_hourly
WITH (timescaledb.continuous) AS
SELECT time_bucket(INTERVAL '1 hour', time) AS bucket, dev_eui, metric,
       avg(value) AS avg, min(value) AS min, max(value) AS max, last(value, time) AS last, count(*) AS n
FROM readings
GROUP BY bucket, dev_eui, metric
WITH NO DATA;
SELECT add_continuous_aggregate_policy('readings_hourly',
  start_offset => INTERVAL '3 days', end_offset => INTERVAL '1 hour', schedule_interval => INTERVAL '30 minutes',
  if_not_exists => true);
