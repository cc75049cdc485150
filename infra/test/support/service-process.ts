import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { createRequire } from 'node:module';
import { waitFor } from './engines.ts';
import { freePort } from './net.ts';

// The packages' published entry points of their processes (`pnpm --filter <package> start`).
const resolve = createRequire(import.meta.url).resolve;
const INGEST_MAIN = resolve('@city/ingest/main');
const SERVER_MAIN = resolve('@city/twin/main');
const EMBEDDED_MAIN = new URL('../../src/embedded.ts', import.meta.url).pathname;

export interface ServiceProcess {
  readonly port: number;
  /** Everything the process logged so far (pino JSON lines). */
  output(): string;
  /** A Prometheus counter or gauge from the process's /metrics. */
  metric(name: string): Promise<number>;
  /** Ends the process with `signal` and waits for it to exit. */
  stop(signal?: NodeJS.Signals): Promise<void>;
}

/**
 * Headless ingest as its own OS process, configured only through the environment as in
 * production; resolves once its subscription is acknowledged.
 */
export function spawnIngest(env: Record<string, string>, by: StartedBy = 'node'): Promise<ServiceProcess> {
  const command = by === 'pnpm' ? ['pnpm', '--filter', 'ingest', 'start'] : [INGEST_MAIN];
  return spawnService(command, env, 'the ingest process to subscribe', '"msg":"mqtt subscribed"');
}

/** The platform's server as its own OS process, as production runs it; resolves once it listens. */
export function spawnServer(env: Record<string, string>, by: StartedBy = 'node'): Promise<ServiceProcess> {
  const command = by === 'pnpm' ? ['pnpm', '--filter', 'twin', 'start'] : [SERVER_MAIN];
  return spawnService(command, env, 'the platform server to listen', 'platform server running');
}

/** `pnpm start`'s process (embedded engines unless the env names real ones); resolves once it is up. */
export function spawnEmbedded(env: Record<string, string>): Promise<ServiceProcess> {
  return spawnService([EMBEDDED_MAIN], env, 'the embedded mode to start', 'City situation center is up');
}

/**
 * How a process is started: `node` on the package's entry point (a SIGKILL reaches the service
 * itself), or `pnpm --filter <package> start` as the README runs it, in a process group of its
 * own that signals go to, as a terminal's would.
 */
export type StartedBy = 'node' | 'pnpm';

/** `[main]` runs under node with tsx; a longer command runs as it is, in its own process group. */
async function spawnService(
  command: string[],
  env: Record<string, string>,
  what: string,
  readyLine: string,
): Promise<ServiceProcess> {
  const port = await freePort();
  const group = command.length > 1;
  const [file, ...args] = group ? command : [process.execPath, '--import', 'tsx', ...command];
  const child: ChildProcess = spawn(file as string, args, {
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
    detached: group,
  });
  let output = '';
  const collect = (d: Buffer) => {
    output += d.toString();
  };
  child.stdout?.on('data', collect);
  child.stderr?.on('data', collect);
  const exited = once(child, 'exit');
  const proc: ServiceProcess = {
    port,
    output: () => output,
    metric: async (name) => {
      const text = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
      const line = text.split('\n').find((l) => l.startsWith(`${name} `));
      return Number(line?.split(' ')[1] ?? Number.NaN);
    },
    stop: async (signal = 'SIGTERM') => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      if (group) process.kill(-(child.pid as number), signal);
      else child.kill(signal);
      await exited;
    },
  };
  try {
    await waitFor(what, async () => output.includes(readyLine), 60_000);
  } catch (err) {
    await proc.stop('SIGKILL');
    throw new Error(`${(err as Error).message}; it said:\n${output}`);
  }
  return proc;
}
