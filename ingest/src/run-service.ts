import type { Logger } from 'pino';
import { ConfigError } from './config/settings.ts';

/** A started service: its log, and how it stops (commits what it holds, closes what it opened). */
export interface RunningService {
  log: Logger;
  stop(): Promise<void>;
}

/**
 * Runs a service process: `start` brings it up; the first SIGINT or SIGTERM stops it and exits
 * 0, or 1 when the stop could not finish (the database away: what was not committed stays in
 * the spool). A configuration error prints its message alone (it lists every bad setting) and
 * exits 1.
 *
 * Later signals are ignored while the stop runs. Ctrl-C under `pnpm start` sends SIGINT to every
 * process of the group, and tsx passes its own on: a second signal must not kill the process
 * halfway through its commit (that left acknowledged frames in the spool, and ELIFECYCLE).
 */
export function runService(start: () => Promise<RunningService>): void {
  start().then(
    ({ log, stop }) => {
      let stopping = false;
      const shutdown = async (signal: NodeJS.Signals) => {
        if (stopping) return;
        stopping = true;
        log.info({ signal }, 'shutting down: committing what is buffered');
        try {
          await stop();
        } catch (err) {
          log.error({ err: (err as Error).message }, 'stopped without committing everything');
          process.exit(1);
        }
        log.info('stopped');
        process.exit(0);
      };
      process.on('SIGINT', () => void shutdown('SIGINT'));
      process.on('SIGTERM', () => void shutdown('SIGTERM'));
    },
    (err: Error) => {
      console.error(err instanceof ConfigError ? err.message : err);
      process.exit(1);
    },
  );
}
