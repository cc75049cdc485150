import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './net.ts';
import { type ServiceProcess, spawnEmbedded } from './service-process.ts';

export interface EmbeddedDemo {
  /** The API's and pages' origin. */
  readonly url: string;
  readonly mqttPort: number;
  readonly process: ServiceProcess;
  /** Answers `path` of the API as JSON, failing unless it is 200. */
  get<T>(path: string, headers?: Record<string, string>): Promise<T>;
  close(): Promise<void>;
}

/**
 * `pnpm start`'s process on the embedded engines with a small demo city (300 devices playing),
 * on free ports and a data folder of its own. `pages: false` skips the dashboard (no build to
 * check, and no other suite's build to wait for).
 */
export async function startEmbeddedDemo(
  env: Record<string, string> = {},
  opts: { pages?: boolean } = {},
): Promise<EmbeddedDemo> {
  const dataDir = await mkdtemp(join(tmpdir(), 'city-demo-'));
  const mqttPort = await freePort();
  const proc = await spawnEmbedded({
    DATABASE_URL: '',
    MQTT_URL: '',
    REDIS_URL: '',
    DATA_DIR: dataDir,
    MQTT_PORT: String(mqttPort),
    DEMO_DEVICES: '300',
    LOG_LEVEL: 'warn',
    ...(opts.pages === false ? { DASHBOARD_DIR: dataDir } : {}),
    ...env,
  });
  const url = `http://127.0.0.1:${proc.port}`;
  return {
    url,
    mqttPort,
    process: proc,
    get: async <T>(path: string, headers: Record<string, string> = {}) => {
      const response = await fetch(`${url}${path}`, { headers });
      if (response.status !== 200) throw new Error(`GET ${path}: ${response.status} ${await response.text()}`);
      return (await response.json()) as T;
    },
    close: async () => {
      await proc.stop();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}
