import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEMO_PASSWORDS } from '@city/twin';
import { afterAll, describe, expect, it } from 'vitest';
import { waitFor } from './support/engines.ts';
import { freePort } from './support/net.ts';

const EMBEDDED = new URL('../src/embedded.ts', import.meta.url).pathname;

/** `pnpm start` as a newcomer runs it: one process, embedded engines, the demo city playing. */
describe('embedded mode', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'embedded-'));
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('starts, reports healthy within 60 s, stores the demo city, and stops cleanly', async () => {
    const [port, mqttPort] = [await freePort(), await freePort()];
    const started = Date.now();
    const child = spawn(process.execPath, ['--import', 'tsx', EMBEDDED], {
      env: {
        ...process.env,
        DATABASE_URL: '',
        MQTT_URL: '',
        DATA_DIR: dataDir,
        PORT: String(port),
        MQTT_PORT: String(mqttPort),
        DEMO_DEVICES: '300',
        DEMO_SPEED: '600',
        LOG_LEVEL: 'warn',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout?.on('data', (d: Buffer) => {
      output += d.toString();
    });
    child.stderr?.on('data', (d: Buffer) => {
      output += d.toString();
    });
    let authorization = '';
    const api = (path: string, init: RequestInit = {}) =>
      fetch(`http://127.0.0.1:${port}${path}`, { ...init, headers: { authorization, ...init.headers } });
    try {
      await waitFor('the banner', async () => output.includes('City situation center is up'), 60_000);
      expect(output).toContain(`http://localhost:${port}/api/v1`);
      await waitFor(
        'health 200',
        async () => (await api('/api/v1/health').catch(() => undefined))?.status === 200,
        60_000,
      );
      expect(Date.now() - started).toBeLessThan(60_000);
      // Reads need staff: the demo operator, with its documented password (README, Security).
      expect((await api('/api/v1/devices')).status).toBe(401);
      const login = await api('/api/v1/auth/login', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ username: 'operator', password: DEMO_PASSWORDS.operator }),
      });
      authorization = `Bearer ${((await login.json()) as { token: string }).token}`;
      await waitFor(
        'demo devices bound to objects',
        async () => {
          const devices = (await (await api('/api/v1/devices?limit=5')).json()) as { objectNumber: string | null }[];
          return devices.length === 5 && devices.every((d) => d.objectNumber);
        },
        30_000,
      );
      const metrics = await (await api('/metrics')).text();
      expect(Number(/^ingest_uplinks_committed_total (\d+)/m.exec(metrics)?.[1])).toBeGreaterThan(0);
      // Where the memory goes: the embedded database's share is reported beside the process's.
      const databaseBytes = Number(/^ingest_embedded_database_bytes (\d+)/m.exec(metrics)?.[1]);
      expect(databaseBytes).toBeGreaterThan(16 * 2 ** 20);
      expect(databaseBytes).toBeLessThan(Number(/^process_resident_memory_bytes (\d+)/m.exec(metrics)?.[1]));
    } finally {
      child.kill('SIGTERM');
    }
    const [code] = await once(child, 'exit');
    expect(code).toBe(0);
  }, 120_000);

  it('refuses to open its broker to the network with the default MQTT password', async () => {
    const { DEMO_MQTT_PASSWORD: _default, ...env } = process.env;
    const child = spawn(process.execPath, ['--import', 'tsx', EMBEDDED], {
      env: { ...env, MQTT_URL: '', DATA_DIR: dataDir, MQTT_HOST: '0.0.0.0' },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr?.on('data', (d: Buffer) => {
      stderr += d.toString();
    });
    const [code] = await once(child, 'exit');
    expect(code).toBe(1);
    expect(stderr).toContain('MQTT_HOST=0.0.0.0 opens the embedded broker: set DEMO_MQTT_PASSWORD');
  }, 60_000);
});
