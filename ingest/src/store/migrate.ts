import { readdir, readFile } from 'node:fs/promises';
import type { Db, Queryable } from './db.ts';

const MIGRATIONS_DIR = new URL('./migrations/', import.meta.url);
// Any constant shared by every replica of every service: serialises concurrent migrations.
const MIGRATION_LOCK = 727_001;

/**
 * Applies ingest's ordered SQL files in migrations/ once each. `NNN_name.timescale.sql` runs only
 * when the TimescaleDB extension can be created, `NNN_name.plain.sql` only when it cannot,
 * so one history serves both engines. Sets `db.timescale`.
 */
export async function migrate(db: Db, opts: { retentionDays?: number } = {}): Promise<string[]> {
  db.timescale = await enableTimescale(db);
  const { retentionDays } = opts;
  return applyMigrations(db, MIGRATIONS_DIR, {
    // Under the lock too: two replicas starting together would otherwise both remove and add
    // the policy, and one of them fails on the policy the other just added.
    underLock: db.timescale && retentionDays ? (tx) => setRetention(tx, retentionDays) : undefined,
  });
}

export interface MigrationOptions {
  /** Names this owner's files in `schema_migrations` (`twin/001_staff.sql`); ingest's have none. */
  owner?: string;
  /** Runs in the same transaction, under the lock, after the files. */
  underLock?: ((tx: Queryable) => Promise<void>) | undefined;
}

/**
 * Applies a service's ordered SQL files (`NNN_name.sql`, or its `.timescale`/`.plain` variant
 * as `db.timescale` says) once each, in one transaction under an advisory lock, so replicas
 * starting together migrate once. Each service owns its tables and their folder of migrations.
 */
export async function applyMigrations(db: Db, folder: URL, opts: MigrationOptions = {}): Promise<string[]> {
  const variant = db.timescale ? 'timescale' : 'plain';
  const files = (await readdir(folder))
    .filter((f) => /^\d+_[\w-]+(\.(timescale|plain))?\.sql$/.test(f))
    .filter((f) => !/\.(timescale|plain)\.sql$/.test(f) || f.endsWith(`.${variant}.sql`))
    .sort();
  const named = (file: string) => (opts.owner ? `${opts.owner}/${file}` : file);
  const applied: string[] = [];
  await db.transaction(async (tx) => {
    await tx.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK]);
    await tx.query(
      'CREATE TABLE IF NOT EXISTS schema_migrations (name text PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())',
    );
    const done = new Set(
      (await tx.query<{ name: string }>('SELECT name FROM schema_migrations')).rows.map((r) => r.name),
    );
    for (const file of files) {
      if (done.has(named(file))) continue;
      const sql = await readFile(new URL(file, folder), 'utf8');
      for (const statement of splitStatements(sql)) await tx.query(statement);
      await tx.query('INSERT INTO schema_migrations (name) VALUES ($1)', [named(file)]);
      applied.push(named(file));
    }
    await opts.underLock?.(tx);
  });
  return applied;
}

async function enableTimescale(db: Db): Promise<boolean> {
  try {
    await db.exec('CREATE EXTENSION IF NOT EXISTS timescaledb');
  } catch {
    // Not installed on this server: the plain PostgreSQL variant applies.
  }
  const { rows } = await db.query("SELECT 1 FROM pg_extension WHERE extname = 'timescaledb'");
  return rows.length > 0;
}

async function setRetention(db: Queryable, days: number): Promise<void> {
  await db.query("SELECT remove_retention_policy('readings', if_exists => true)");
  await db.query('SELECT add_retention_policy($1::regclass, make_interval(days => $2::int))', ['readings', days]);
}

/**
 * Splits a migration script on semicolons that end a line, except inside `$$` quotes: a
 * function body (a trigger's) holds statements of its own. Our migrations keep to that form.
 */
function splitStatements(sql: string): string[] {
  const statements: string[] = [];
  let current = '';
  sql.split('$$').forEach((part, i) => {
    if (i % 2 === 1) {
      current += `$$${part}$$`;
      return;
    }
    const [first, ...rest] = part.split(/;\s*$/m);
    current += first;
    for (const piece of rest) {
      statements.push(current);
      current = piece;
    }
  });
  statements.push(current);
  return statements.map((s) => s.replace(/^\s*--.*$/gm, '').trim()).filter((s) => s.length > 0);
}
