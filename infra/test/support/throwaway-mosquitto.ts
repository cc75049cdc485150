import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { chownSync, closeSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, isListening, onProcessExit, sleep } from './net.ts';

/**
 * A private Mosquitto for tests that restart the broker; the machine's shared broker (1883) is
 * never touched. Persistence is on (Mosquitto writes its database on SIGTERM and reads it on
 * start) and the per-client queue and in-flight limits are off, so the broker itself never
 * drops a QoS 1 message for a persistent session: what the test measures is ingest.
 */
export interface ThrowawayMosquitto {
  readonly port: number;
  /** mqtt://127.0.0.1:<port> */
  readonly url: string;
  readonly dir: string;
  readonly running: boolean;
  /** The broker's process id while it runs (the benchmark reads its CPU time). */
  readonly pid: number | undefined;
  start(): Promise<void>;
  /** SIGTERM (Mosquitto saves its persistence file) and wait for the process to exit. */
  stop(): Promise<void>;
  /** stop(), stay down for `downMs`, start again on the same port. */
  restart(downMs?: number): Promise<void>;
  destroy(): Promise<void>;
}

const MOSQUITTO = process.env.MOSQUITTO_BIN ?? 'mosquitto';

export async function startThrowawayMosquitto(): Promise<ThrowawayMosquitto> {
  const dir = mkdtempSync(join(tmpdir(), 'city-mqtt-'));
  const port = await freePort();
  const conf = join(dir, 'mosquitto.conf');
  const logFile = join(dir, 'mosquitto.log');
  writeFileSync(
    conf,
    [
      `listener ${port} 127.0.0.1`,
      'allow_anonymous true',
      'persistence true',
      `persistence_location ${dir}/`,
      // 0 = no limit: a persistent session's backlog is kept whole while its client is away.
      'max_queued_messages 0',
      'max_queued_bytes 0',
      'max_inflight_messages 0',
      'log_dest stderr',
      'log_type error',
      'log_type warning',
      'log_type notice',
      'log_type information',
      '',
    ].join('\n'),
  );
  // Started as root, Mosquitto drops to the `mosquitto` user, which must be able to write its database.
  if (process.getuid?.() === 0) {
    try {
      const id = (flag: string) => Number(execFileSync('id', [flag, 'mosquitto'], { encoding: 'utf8' }).trim());
      chownSync(dir, id('-u'), id('-g'));
    } catch {
      // no mosquitto user: Mosquitto keeps running as root
    }
  }

  let child: ChildProcess | undefined;
  let exited: Promise<void> = Promise.resolve();
  const unregister = onProcessExit(() => {
    child?.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  });

  const start = async () => {
    if (child) return;
    const log = openSync(logFile, 'a');
    const proc = spawn(MOSQUITTO, ['-c', conf], { stdio: ['ignore', log, log] });
    closeSync(log);
    child = proc;
    let gone = false;
    exited = new Promise<void>((resolve) => {
      proc.once('exit', () => {
        gone = true;
        if (child === proc) child = undefined;
        resolve();
      });
      proc.once('error', () => {
        gone = true;
        if (child === proc) child = undefined;
        resolve();
      });
    });
    const deadline = Date.now() + 15_000;
    while (!(await isListening(port))) {
      if (gone || Date.now() > deadline) {
        proc.kill('SIGKILL');
        throw new Error(`mosquitto did not start on port ${port}:\n${tail(logFile)}`);
      }
      await sleep(50);
    }
  };

  const stop = async () => {
    const proc = child;
    if (!proc) return;
    proc.kill('SIGTERM');
    const killer = setTimeout(() => proc.kill('SIGKILL'), 10_000);
    await exited;
    clearTimeout(killer);
  };

  const broker: ThrowawayMosquitto = {
    port,
    url: `mqtt://127.0.0.1:${port}`,
    dir,
    get running() {
      return child !== undefined;
    },
    get pid() {
      return child?.pid;
    },
    start,
    stop,
    restart: async (downMs = 0) => {
      await stop();
      if (downMs > 0) await sleep(downMs);
      await start();
    },
    destroy: async () => {
      try {
        await stop();
      } finally {
        rmSync(dir, { recursive: true, force: true });
        unregister();
      }
    },
  };
  try {
    await start();
  } catch (err) {
    await broker.destroy();
    throw err;
  }
  return broker;
}

function tail(file: string): string {
  try {
    return readFileSync(file, 'utf8').split('\n').slice(-20).join('\n');
  } catch {
    return '';
  }
}
