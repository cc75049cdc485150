import type { Logger } from 'pino';
import { ConfigError } from './config/settings.ts';

/** A started service: its log, and how it stops (commits what it holds, closes what it opened). */
export interface RunningService {
  log: Logger;
  stop(): Promise<void>;
}

/**
 * Runs a service process: `start` brings it up; the first SIGINT or SIGTERM stops it and exits
 * 0. A configuration error prints its message alone (it lists every bad setting) and exits 1.
 */
export function runService(start: () => Promise<RunningService>): void {
  start().then(
    ({ log, stop }) => {
      let stopping = false;
      const shutdown = async (signal: NodeJS.Signals) => {
        if (stopping) return;
        stopping = true;
        log.info({ signal }, 'shutting down: committing what is buffered');
        await stop();
        process.exit(0);
      };
      process.once('SIGINT', () => void shutdown('SIGINT'));
      process.once('SIGTERM', () => void shutdown('SIGTERM'));
    },
    (err: Error) => {
      console.error(err instanceof ConfigError ? err.message : err);
      process.exit(1);
    },
  );
}
