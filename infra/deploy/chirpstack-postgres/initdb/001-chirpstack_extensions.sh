#!/bin/bash
# Runs once, when the chirpstack-postgres volume is first initialised
# (docker-entrypoint-initdb.d). ChirpStack v4 needs pg_trgm (search) and hstore
# (tags/variables); it creates its tables itself at start-up.
# Same as chirpstack/chirpstack-docker configuration/postgresql/initdb/001-chirpstack_extensions.sh.
set -e

psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname="$POSTGRES_DB" <<-EOSQL
    create extension if not exists pg_trgm;
    create extension if not exists hstore;
EOSQL
