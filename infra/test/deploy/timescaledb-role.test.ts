import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { type Db, migrate, openPostgres } from '@city/ingest';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bounded } from '../support/net.ts';
import { postgresBinDir, startThrowawayPostgres, type ThrowawayPostgres } from '../support/throwaway-postgres.ts';

/**
 * infra/deploy/timescaledb/010_city_app_role.sh on a real PostgreSQL, run as the image's entrypoint
 * runs it (the superuser over the local socket, POSTGRES_USER and POSTGRES_DB set): the role our
 * services connect as migrates and writes our tables, and can do nothing a superuser could.
 */

const SCRIPT = fileURLToPath(new URL('../../deploy/timescaledb/010_city_app_role.sh', import.meta.url));

let server: ThrowawayPostgres;
let app: Db;
const urlAs = (role: string) => `postgres://${role}@127.0.0.1:${server.port}/city`;

function runInitScript(): void {
  execFileSync('bash', [SCRIPT], {
    stdio: 'pipe',
    env: {
      PATH: `${postgresBinDir()}:${process.env.PATH}`,
      PGHOST: server.dir,
      PGPORT: String(server.port),
      POSTGRES_USER: 'postgres',
      POSTGRES_DB: 'city',
      TSDB_APP_PASSWORD: '0a1b2c3d4e5f',
    },
  });
}

async function refusal(role: string, sql: string): Promise<string | undefined> {
  const client = new pg.Client({ connectionString: urlAs(role) });
  try {
    await client.connect();
    await client.query(sql);
    return undefined;
  } catch (err) {
    return (err as Error).message;
  } finally {
    await client.end().catch(() => {});
  }
}

beforeAll(async () => {
  server = await startThrowawayPostgres();
  const admin = new pg.Client({ connectionString: server.url });
  await admin.connect();
  // The image creates POSTGRES_DB before it runs the init scripts.
  await admin.query('CREATE DATABASE city');
  await admin.query('CREATE ROLE someone LOGIN');
  await admin.end();
  runInitScript();
  app = openPostgres(urlAs('city_app'));
});
afterAll(async () => {
  await bounded(app?.close());
  await bounded(server?.destroy());
});

describe('the city_app database role (infra/deploy/timescaledb)', () => {
  it('runs ingest migrations and owns the tables they create', async () => {
    expect(await migrate(app)).toContain('001_core.sql');
    const { rows } = await app.query<{ tablename: string; tableowner: string }>(
      "SELECT tablename, tableowner FROM pg_tables WHERE schemaname = 'public' ORDER BY 1",
    );
    expect(rows.map((r) => r.tablename)).toEqual(expect.arrayContaining(['readings', 'uplinks', 'devices']));
    expect(new Set(rows.map((r) => r.tableowner))).toEqual(new Set(['city_app']));
    // Replayed batches go through a temporary scratch table.
    await app.transaction(async (tx) => {
      await tx.query('CREATE TEMP TABLE scratch (LIKE readings) ON COMMIT DROP');
    });
  });

  it('is no superuser and cannot reach beyond its database', async () => {
    const { rows } = await app.query<Record<string, boolean>>(
      "SELECT rolsuper, rolcreatedb, rolcreaterole, rolreplication, rolbypassrls FROM pg_roles WHERE rolname = 'city_app'",
    );
    expect(rows[0]).toEqual({
      rolsuper: false,
      rolcreatedb: false,
      rolcreaterole: false,
      rolreplication: false,
      rolbypassrls: false,
    });
    const denied = {
      createDatabase: await refusal('city_app', 'CREATE DATABASE other'),
      createRole: await refusal('city_app', 'CREATE ROLE other'),
      createExtension: await refusal('city_app', 'CREATE EXTENSION hstore'),
      readPasswords: await refusal('city_app', 'SELECT * FROM pg_authid'),
      readServerFiles: await refusal('city_app', "SELECT pg_read_file('postgresql.conf')"),
      alterSystem: await refusal('city_app', "ALTER SYSTEM SET work_mem = '1GB'"),
      // Other roles of the server no longer connect to our database by default.
      otherRoleConnects: await refusal('someone', 'SELECT 1'),
    };
    for (const [what, message] of Object.entries(denied)) {
      expect({ what, message }).toEqual({ what, message: expect.stringMatching(/permission denied|must be/) });
    }
  });

  it('can run again without harm (README: the step for a volume made before it)', async () => {
    runInitScript();
    expect(await app.query('SELECT count(*) FROM readings')).toEqual({ rows: [{ count: '0' }] });
  });
});
