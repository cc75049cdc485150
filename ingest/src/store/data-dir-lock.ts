import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { ConfigError } from '../config/settings.ts';

/**
 * One process at a time on an embedded data directory. PGlite runs PostgreSQL in single-user
 * mode, which takes no lock of its own: a second process on the same directory (a second
 * `pnpm start`, a script reading the data) writes over the first one's pages, and the indexes
 * are corrupt within seconds. The lock is a file beside the directory holding the owner's pid;
 * a lock whose process is gone (kill -9, a crash) is taken over.
 */
export function lockDataDir(dataDir: string): { release(): void } {
  const path = `${dataDir}.lock`;
  mkdirSync(dirname(path), { recursive: true });
  for (let attempt = 0; ; attempt++) {
    try {
      writeFileSync(path, `${process.pid}\n`, { flag: 'wx' });
      break;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST' || attempt > 0) throw err;
      const owner = Number(readFileSync(path, 'utf8').trim());
      if (isRunning(owner))
        throw new ConfigError(
          `${dataDir} is in use by process ${owner} (${path}); stop it first. ` +
            'If no such process of ours runs, delete the lock file.',
        );
      rmSync(path, { force: true });
    }
  }
  return {
    release: () => {
      try {
        if (Number(readFileSync(path, 'utf8').trim()) === process.pid) rmSync(path, { force: true });
      } catch {
        // Already gone.
      }
    },
  };
}

/** Whether `pid` is another running process (this one's own pid in a stale lock: a restarted container's pid 1). */
function isRunning(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0 || pid === process.pid) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: it runs, as another user.
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
