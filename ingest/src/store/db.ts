import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { extname, join } from 'node:path';
import { finished } from 'node:stream/promises';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { PGlite } from '@electric-sql/pglite';
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { ConfigError } from '../config/settings.ts';
import { lockDataDir } from './data-dir-lock.ts';
import { DurableNodeFS } from './durable-node-fs.ts';

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
  /** Bytes of memory an embedded engine holds (PGlite's WebAssembly heap); a server's is its own. */
  memoryBytes?: () => number;
  /** Cheap liveness probe for /health. */
  ping(): Promise<boolean>;
  close(): Promise<void>;
}

export async function openDb(opts: { databaseUrl?: string | undefined; dataDir?: string }): Promise<Db> {
  return opts.databaseUrl ? openPostgres(opts.databaseUrl) : openPglite(opts.dataDir);
}

/** The PostgreSQL major version the embedded PGlite runs; a data directory of another is refused. */
export const PGLITE_PG_MAJOR = 18;

/**
 * How the embedded PostgreSQL runs: PGlite's own flags without `-F` (fsync off), with every
 * fsync a real one (see DurableNodeFS), a small buffer cache and a capped WAL. The buffer cache
 * lives in the WebAssembly heap, which never shrinks, and the operating system caches the files
 * anyway: readings are written once and read in short time ranges.
 */
export const EMBEDDED_START_PARAMS = [
  ...PGlite.defaultStartParams.filter((flag) => flag !== '-F'),
  ...['-c', 'fsync=on', '-c', 'wal_sync_method=fsync', '-c', 'shared_buffers=16MB'],
  ...['-c', 'max_wal_size=96MB', '-c', 'min_wal_size=32MB'],
];

/** Embedded PostgreSQL (official PGlite, no TimescaleDB). `dataDir` undefined = in memory. */
export async function openPglite(dataDir?: string): Promise<Db> {
  const lock = dataDir ? lockDataDir(dataDir) : undefined;
  try {
    if (dataDir) {
      const major = await readFile(join(dataDir, 'PG_VERSION'), 'utf8').then(
        (text) => text.trim(),
        () => undefined,
      );
      if (major === undefined) await initDataDirApart(dataDir);
      else if (major !== String(PGLITE_PG_MAJOR)) throw otherMajor(dataDir, major);
    }
    const lite = await PGlite.create({
      ...(dataDir ? { fs: new DurableNodeFS(dataDir) } : {}),
      startParams: EMBEDDED_START_PARAMS,
    });
    return pgliteDb(lite, { memoryBytes: () => lite.Module.wasmMemory.buffer.byteLength, afterClose: lock?.release });
  } catch (err) {
    lock?.release();
    throw err;
  }
}

/**
 * Creates a new data directory in a child process. PostgreSQL's initdb, run in this process,
 * would leave ~90 MB of its peak (~700 MB) resident for good: freed WebAssembly and malloc
 * pages are not all given back to the system. Fresh from a child, the process starts as small
 * as on an existing directory.
 */
async function initDataDirApart(dataDir: string): Promise<void> {
  const script = fileURLToPath(new URL(`./pglite-initdb${extname(fileURLToPath(import.meta.url))}`, import.meta.url));
  const runner = script.endsWith('.ts') ? ['--import', 'tsx'] : [];
  await promisify(execFile)(process.execPath, [...runner, script, dataDir]).catch(
    (err: Error & { stderr?: string }) => {
      throw new Error(`creating the embedded database in ${dataDir} failed: ${err.stderr?.trim() || err.message}`);
    },
  );
}

/**
 * An earlier embedded mode wrote PostgreSQL 17 directories (with TimescaleDB); PostgreSQL
 * refuses to open another major's files, and PGlite would only say it "failed to initialize".
 */
function otherMajor(dataDir: string, found: string): ConfigError {
  return new ConfigError(
    `${dataDir} holds a PostgreSQL ${found} database, written by an earlier version of the embedded mode; ` +
      `this version runs PostgreSQL ${PGLITE_PG_MAJOR} and cannot open it. Move it aside ` +
      `(mv ${dataDir} ${dataDir}-pg${found}) to start on an empty database: frames not yet committed ` +
      'stay in the spool and are stored on the next start.',
  );
}

/** The PGlite API both the embedded build and the TimescaleDB test build share. */
export interface PgliteLike {
  readonly closed: boolean;
  query: PGlite['query'];
  exec(sql: string): Promise<unknown>;
  transaction: PGlite['transaction'];
  close(): Promise<void>;
}

/** A Db over a PGlite instance; `memoryBytes` reads its WebAssembly heap, `afterClose` runs once it is closed. */
export function pgliteDb(
  lite: PgliteLike,
  { memoryBytes, afterClose }: { memoryBytes?: () => number; afterClose?: (() => void) | undefined } = {},
): Db {
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
    ...(memoryBytes ? { memoryBytes } : {}),
    ping: async () => !lite.closed,
    close: async () => {
      await lite.close();
      afterClose?.();
    },
  };
}

/**
 * Connections a process opens at most (opened as needed). One process may hold ingest's writers,
 * the alarm writers and the server's reads at once (the embedded shape on a real database):
 * with too few, each waits for the others' connections, which is latency on every alarm.
 */
const POOL_SIZE = 10;

export function openPostgres(databaseUrl: string): Db {
  const pool = new pg.Pool({ connectionString: databaseUrl, max: POOL_SIZE, connectionTimeoutMillis: 5000 });
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
