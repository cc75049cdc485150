import { type ChildProcess, execFileSync, spawn, spawnSync } from 'node:child_process';
import { chownSync, mkdirSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort, isListening, onProcessExit, sleep } from '../support/net.ts';

/** infra/deploy/mosquitto: the config, ACL and entrypoint wrapper the compose mounts. */
export const DEPLOY_MOSQUITTO_DIR = fileURLToPath(new URL('../../deploy/mosquitto/', import.meta.url));
export const DEPLOY_COMPOSE_FILE = fileURLToPath(new URL('../../deploy/docker-compose.yml', import.meta.url));

const MOSQUITTO = process.env.MOSQUITTO_BIN ?? '/usr/sbin/mosquitto';

/** The passwords the compose passes to init-auth.sh from .env, one per MQTT user. */
export type MqttPasswords = Record<
  'MQTT_CHIRPSTACK_PASSWORD' | 'MQTT_GATEWAY_BRIDGE_PASSWORD' | 'MQTT_INGEST_PASSWORD' | 'MQTT_API_PASSWORD',
  string
>;

export interface DeploymentMosquitto {
  readonly port: number;
  readonly url: string;
  /** Where init-auth.sh wrote the password file and the healthcheck password (/mosquitto/auth in the image). */
  readonly authDir: string;
  log(): string;
  destroy(): Promise<void>;
}

/**
 * Starts the real Mosquitto the way the compose does: init-auth.sh (the file the compose uses as
 * entrypoint) hashes the passwords and execs the broker with infra/deploy's mosquitto.conf and
 * acl. Only what cannot exist outside the container changes: the listener moves to a free
 * loopback port and the /mosquitto paths to a temporary folder, in a copy of the config.
 */
export async function startDeploymentMosquitto(passwords: MqttPasswords): Promise<DeploymentMosquitto> {
  const dir = mkdtempSync(join(tmpdir(), 'city-deploy-mqtt-'));
  const authDir = join(dir, 'auth');
  const dataDir = join(dir, 'data');
  mkdirSync(dataDir);
  // Started as root, Mosquitto drops to the `mosquitto` user, as in the image.
  if (process.getuid?.() === 0) {
    try {
      const id = (flag: string) => Number(execFileSync('id', [flag, 'mosquitto'], { encoding: 'utf8' }).trim());
      chownSync(dir, id('-u'), id('-g'));
      chownSync(dataDir, id('-u'), id('-g'));
    } catch {
      // no mosquitto user: Mosquitto keeps running as root
    }
  }
  const port = await freePort();
  const conf = join(dir, 'mosquitto.conf');
  writeFileSync(conf, adaptConfig(readFileSync(join(DEPLOY_MOSQUITTO_DIR, 'mosquitto.conf'), 'utf8'), port, dir));

  const logFile = join(dir, 'mosquitto.log');
  const log = () => readFileSync(logFile, 'utf8');
  const out = openSync(logFile, 'a');
  let child: ChildProcess | undefined = spawn(
    'sh',
    [join(DEPLOY_MOSQUITTO_DIR, 'init-auth.sh'), MOSQUITTO, '-c', conf],
    {
      stdio: ['ignore', out, out],
      // /usr/bin/env stands in for the image's /docker-entrypoint.sh, which only execs its arguments.
      env: { PATH: process.env.PATH, MOSQUITTO_AUTH_DIR: authDir, MOSQUITTO_ENTRYPOINT: '/usr/bin/env', ...passwords },
    },
  );
  const exited = new Promise<void>((resolve) => {
    child?.once('exit', () => {
      child = undefined;
      resolve();
    });
  });
  const destroy = async () => {
    child?.kill('SIGTERM');
    await Promise.race([exited, sleep(10_000)]);
    child?.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
    unregister();
  };
  const unregister = onProcessExit(() => {
    child?.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  });

  const deadline = Date.now() + 15_000;
  while (!(await isListening(port))) {
    if (!child || Date.now() > deadline) {
      const text = log();
      await destroy();
      throw new Error(`the deployment's mosquitto did not start on port ${port}:\n${text}`);
    }
    await sleep(50);
  }
  return { port, url: `mqtt://127.0.0.1:${port}`, authDir, log, destroy };
}

/**
 * The deployment's config with the container paths and the listener replaced. Each line must be
 * there exactly once: if the config changes shape, this fails instead of testing another config.
 */
export function adaptConfig(config: string, port: number, dir: string): string {
  const replacements: [string, string][] = [
    ['listener 1883', `listener ${port} 127.0.0.1`],
    ['persistence_location /mosquitto/data/', `persistence_location ${join(dir, 'data')}/`],
    ['password_file /mosquitto/auth/passwd', `password_file ${join(dir, 'auth', 'passwd')}`],
    ['acl_file /mosquitto/config/acl', `acl_file ${join(DEPLOY_MOSQUITTO_DIR, 'acl')}`],
  ];
  const lines = config.split('\n');
  for (const [from, to] of replacements) {
    const at = lines.flatMap((line, i) => (line.trim() === from ? [i] : []));
    if (at.length !== 1) throw new Error(`mosquitto.conf: expected one line "${from}", found ${at.length}`);
    lines[at[0] as number] = to;
  }
  return lines.join('\n');
}

/** Runs init-auth.sh alone (no broker behind it): its exit code and what it printed. */
export function runInitAuth(passwords: Partial<MqttPasswords>): { status: number | null; output: string } {
  const dir = mkdtempSync(join(tmpdir(), 'city-deploy-auth-'));
  try {
    const result = spawnSync('sh', [join(DEPLOY_MOSQUITTO_DIR, 'init-auth.sh'), 'true'], {
      encoding: 'utf8',
      env: {
        PATH: process.env.PATH,
        MOSQUITTO_AUTH_DIR: join(dir, 'auth'),
        MOSQUITTO_ENTRYPOINT: '/usr/bin/env',
        ...passwords,
      },
    });
    return { status: result.status, output: `${result.stdout}${result.stderr}` };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
