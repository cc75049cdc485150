import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { createRequire } from 'node:module';
import { waitFor } from './engines.ts';
import { freePort } from './net.ts';

// The package's published entry point of the headless ingest process (`pnpm --filter @city/ingest start`).
const MAIN = createRequire(import.meta.url).resolve('@city/ingest/main');

export interface IngestProcess {
  readonly port: number;
  /** Everything the process logged so far (pino JSON lines). */
  output(): string;
  /** A Prometheus counter or gauge from the process's /metrics. */
  metric(name: string): Promise<number>;
  /** Ends the process with `signal` and waits for it to exit. */
  stop(signal?: NodeJS.Signals): Promise<void>;
}

/**
 * Ingest as its own OS process (the package's `main`), configured only through the
 * environment as in production; resolves once its subscription is acknowledged.
 */
export async function spawnIngest(env: Record<string, string>): Promise<IngestProcess> {
  const port = await freePort();
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', MAIN], {
    env: {
      ...process.env,
      PORT: String(port),
      HOST: '127.0.0.1',
      TTS_TOPIC: '',
      LOG_LEVEL: 'info',
      // Sessions of test replicas must not outlive the test on a shared broker.
      MQTT_SESSION_EXPIRY_S: '60',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const collect = (d: Buffer) => {
    output += d.toString();
  };
  child.stdout?.on('data', collect);
  child.stderr?.on('data', collect);
  const exited = once(child, 'exit');
  const proc: IngestProcess = {
    port,
    output: () => output,
    metric: async (name) => {
      const text = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
      const line = text.split('\n').find((l) => l.startsWith(`${name} `));
      return Number(line?.split(' ')[1] ?? Number.NaN);
    },
    stop: async (signal = 'SIGTERM') => {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      await exited;
    },
  };
  try {
    await waitFor('the ingest process to subscribe', async () => output.includes('"msg":"mqtt subscribed"'), 30_000);
  } catch (err) {
    await proc.stop('SIGKILL');
    throw new Error(`${(err as Error).message}; it said:\n${output}`);
  }
  return proc;
}
