import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openPglite } from '@city/ingest';
import { afterAll, describe, expect, it } from 'vitest';
import { count, waitFor } from './support/engines.ts';
import { freePort, sleep } from './support/net.ts';

const ROOT = new URL('../..', import.meta.url).pathname;

interface Run {
  child: ChildProcess;
  output(): string;
}

/** `pnpm start` as a user runs it: pnpm, tsx and node, in a process group of their own, as a terminal's. */
async function pnpmStart(env: Record<string, string>): Promise<Run> {
  const child = spawn('pnpm', ['start'], {
    cwd: ROOT,
    env: { ...process.env, DATABASE_URL: '', MQTT_URL: '', LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  let output = '';
  const collect = (d: Buffer) => {
    output += d.toString();
  };
  child.stdout?.on('data', collect);
  child.stderr?.on('data', collect);
  await waitFor('the banner', async () => output.includes('City situation center is up'), 90_000);
  return { child, output: () => output };
}

/** Ctrl-C: the terminal sends SIGINT to every process of the foreground group. */
async function ctrlC(run: Run): Promise<{ code: number | null; seconds: number }> {
  const started = Date.now();
  process.kill(-(run.child.pid as number), 'SIGINT');
  const [code] = (await once(run.child, 'exit')) as [number | null];
  return { code, seconds: (Date.now() - started) / 1000 };
}

describe('Ctrl-C on pnpm start', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'pnpm-start-'));
  let running: Run | undefined;
  afterAll(() => {
    if (running?.child.exitCode === null) process.kill(-(running.child.pid as number), 'SIGKILL');
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('commits every uplink sent, exits 0 without ELIFECYCLE, and the next start replays nothing', async () => {
    const [port, mqttPort] = [await freePort(), await freePort()];
    const env = {
      DATA_DIR: dataDir,
      PORT: String(port),
      MQTT_PORT: String(mqttPort),
      DEMO_DEVICES: '300',
      DEMO_SPEED: '600',
    };
    running = await pnpmStart(env);
    await sleep(5_000);
    const first = await ctrlC(running);
    const output = running.output();
    expect(first.code, output).toBe(0);
    expect(output).not.toContain('ELIFECYCLE');
    const sent = Number(/"uplinksSent":(\d+)/.exec(output)?.[1]);
    expect(sent).toBeGreaterThan(0);

    const db = await openPglite(join(dataDir, 'pglite'));
    const stored = await count(db, 'uplinks');
    await db.close();
    expect(stored).toBe(sent);

    running = await pnpmStart(env);
    const again = running.output();
    expect(again).not.toContain('replaying frames');
    expect(again).not.toContain('did not commit');
    const second = await ctrlC(running);
    expect(second.code).toBe(0);
    expect(running.output()).not.toContain('ELIFECYCLE');
    console.info(
      `pnpm start: ${sent} uplinks sent, ${stored} stored; Ctrl-C took ${first.seconds.toFixed(1)} s and ${second.seconds.toFixed(1)} s`,
    );
  }, 240_000);
});
