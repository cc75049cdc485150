import { execFile, execFileSync } from 'node:child_process';
import { appendFileSync, chownSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { freePort, onProcessExit } from './net.ts';

const run = promisify(execFile);

/**
 * A private PostgreSQL server for tests that stop and start the database: the machine's shared
 * server (5432) is never touched. Trust authentication, 127.0.0.1 only, its socket in its own
 * temporary directory; `destroy()` (or, failing that, process exit) removes every trace.
 */
export interface ThrowawayPostgres {
  readonly port: number;
  /** postgres://postgres@127.0.0.1:<port>/postgres */
  readonly url: string;
  readonly dir: string;
  readonly running: boolean;
  start(): Promise<void>;
  /** `fast` disconnects clients and shuts down cleanly; `immediate` is a crash (recovery on start). */
  stop(mode?: 'fast' | 'immediate'): Promise<void>;
  destroy(): Promise<void>;
}

const PG_ROOT = '/usr/lib/postgresql';

/** The newest installed PostgreSQL's bin directory (Debian layout: /usr/lib/postgresql/<major>/bin). */
export function postgresBinDir(): string {
  const majors = existsSync(PG_ROOT)
    ? readdirSync(PG_ROOT)
        .filter((v) => /^\d+$/.test(v) && existsSync(join(PG_ROOT, v, 'bin', 'initdb')))
        .sort((a, b) => Number(b) - Number(a))
    : [];
  const major = majors[0];
  if (!major) throw new Error(`no PostgreSQL server binaries under ${PG_ROOT}`);
  return join(PG_ROOT, major, 'bin');
}

const asRoot = process.getuid?.() === 0;

/** initdb refuses to run as root: as root, the server's commands run as the `postgres` OS user. */
function command(bin: string, args: string[]): [string, string[]] {
  return asRoot ? ['runuser', ['-u', 'postgres', '--', bin, ...args]] : [bin, args];
}

function osUser(name: string): { uid: number; gid: number } {
  const id = (flag: string) => Number(execFileSync('id', [flag, name], { encoding: 'utf8' }).trim());
  return { uid: id('-u'), gid: id('-g') };
}

export async function startThrowawayPostgres(): Promise<ThrowawayPostgres> {
  const bin = postgresBinDir();
  const dir = mkdtempSync(join(tmpdir(), 'city-pg-'));
  const data = join(dir, 'data');
  const logFile = join(dir, 'postgres.log');
  if (asRoot) {
    const { uid, gid } = osUser('postgres');
    chownSync(dir, uid, gid);
  }
  const pgCtl = (args: string[]) => {
    const [cmd, argv] = command(join(bin, 'pg_ctl'), ['-D', data, ...args]);
    return run(cmd, argv, { timeout: 60_000 });
  };
  let running = false;
  const stopSync = () => {
    if (!running) return;
    const [cmd, argv] = command(join(bin, 'pg_ctl'), ['-D', data, '-m', 'immediate', '-w', 'stop']);
    execFileSync(cmd, argv, { stdio: 'ignore', timeout: 30_000 });
    running = false;
  };
  const unregister = onProcessExit(() => {
    try {
      stopSync();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  try {
    const [initCmd, initArgs] = command(join(bin, 'initdb'), [
      '-D',
      data,
      '-U',
      'postgres',
      '-A',
      'trust',
      '-E',
      'UTF8',
      '--locale=C',
      '--no-sync',
    ]);
    await run(initCmd, initArgs, { timeout: 60_000 });
    const port = await freePort();
    appendFileSync(
      join(data, 'postgresql.conf'),
      [
        '',
        '# throwaway test server',
        "listen_addresses = '127.0.0.1'",
        `port = ${port}`,
        `unix_socket_directories = '${dir}'`,
        'max_connections = 40',
        'shared_buffers = 32MB',
        // Only an OS crash could lose data without fsync; commits stay synchronous, so an
        // immediate shutdown (a database crash) keeps every acknowledged transaction.
        'fsync = off',
        '',
      ].join('\n'),
    );

    const pg: ThrowawayPostgres = {
      port,
      url: `postgres://postgres@127.0.0.1:${port}/postgres`,
      dir,
      get running() {
        return running;
      },
      start: async () => {
        if (running) return;
        try {
          await pgCtl(['-l', logFile, '-w', '-t', '30', 'start']);
        } catch (err) {
          throw new Error(`PostgreSQL did not start: ${(err as Error).message}\n${tail(logFile)}`);
        }
        running = true;
      },
      stop: async (mode = 'fast') => {
        if (!running) return;
        await pgCtl(['-m', mode, '-w', '-t', '30', 'stop']);
        running = false;
      },
      destroy: async () => {
        try {
          if (running) await pg.stop('immediate');
        } finally {
          rmSync(dir, { recursive: true, force: true });
          unregister();
        }
      },
    };
    await pg.start();
    return pg;
  } catch (err) {
    try {
      stopSync();
    } catch {
      // the server may never have started
    }
    rmSync(dir, { recursive: true, force: true });
    unregister();
    throw err;
  }
}

function tail(file: string): string {
  try {
    return readFileSync(file, 'utf8').split('\n').slice(-20).join('\n');
  } catch {
    return '';
  }
}
