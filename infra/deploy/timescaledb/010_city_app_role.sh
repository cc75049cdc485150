#!/bin/bash
# Runs once, when the timescaledb volume is first initialised (mounted as one file into
# /docker-entrypoint-initdb.d, after the image's own 000_install_timescaledb.sh has created the
# extension as the superuser). Creates `city_app`, the role ingest and the api connect as:
# it may log in to `city` and create tables in its public schema, and nothing else - no
# superuser, no other databases, no roles. The tables its migrations create are its own, so
# TimescaleDB's policies (compression, retention, the continuous aggregate) run as it too.
# The superuser (POSTGRES_USER) stays for administration and backups.
set -euo pipefail

if [ -z "${TSDB_APP_PASSWORD:-}" ]; then
  echo "010_city_app_role: TSDB_APP_PASSWORD is not set" >&2
  exit 1
fi

# The password goes in as a psql variable (:'app_password' quotes it), never into the SQL text.
psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname "$POSTGRES_DB" \
  -v app_password="$TSDB_APP_PASSWORD" -v db="$POSTGRES_DB" <<-'EOSQL'
    SELECT format('CREATE ROLE city_app LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION PASSWORD %L', :'app_password')
      WHERE NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'city_app') \gexec
    ALTER ROLE city_app PASSWORD :'app_password';
    REVOKE ALL ON DATABASE :"db" FROM PUBLIC;
    GRANT CONNECT, TEMPORARY ON DATABASE :"db" TO city_app;
    -- Migrations create tables, indexes and views here (PostgreSQL 15+ no longer lets every
    -- role create in public).
    GRANT USAGE, CREATE ON SCHEMA public TO city_app;
EOSQL
