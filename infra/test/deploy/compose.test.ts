import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';

/**
 * infra/deploy/docker-compose.yml read as compose reads it (YAML with merge keys), without a
 * Docker engine: what is published where, which credentials each service uses, and the
 * preflight that refuses the public placeholders of .env.example.
 */

const deployFile = (name: string) => fileURLToPath(new URL(`../../deploy/${name}`, import.meta.url));
const composeText = readFileSync(deployFile('docker-compose.yml'), 'utf8');

interface Service {
  image?: string;
  environment?: Record<string, string>;
  ports?: (string | { published: number })[];
  volumes?: string[];
  depends_on?: Record<string, { condition: string }>;
  healthcheck?: { test: string[] };
  profiles?: string[];
}
const compose = parse(composeText, { merge: true }) as { services: Record<string, Service> };
const services = compose.services;
const ingestReplicas = Object.keys(services).filter((name) => /^ingest-\d+$/.test(name));

function envFile(text: string): Record<string, string> {
  return Object.fromEntries(
    text
      .split('\n')
      .filter((line) => /^[A-Z_]+=/.test(line))
      .map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)]),
  );
}

function preflight(env: Record<string, string>): { status: number | null; output: string } {
  const { environment } = services.preflight as Service;
  const result = spawnSync('sh', [deployFile('check-secrets.sh')], {
    encoding: 'utf8',
    env: {
      PATH: process.env.PATH,
      SECRET_NAMES: environment?.SECRET_NAMES,
      PASSWORD_NAMES: environment?.PASSWORD_NAMES,
      ...env,
    },
  });
  return { status: result.status, output: `${result.stdout}${result.stderr}` };
}

describe('infra/deploy/docker-compose.yml', () => {
  it('publishes the API, ChirpStack and the broker on loopback unless told otherwise', () => {
    const published = Object.entries(services).flatMap(([name, s]) =>
      (s.ports ?? []).map((p) => ({ name, port: typeof p === 'string' ? p : `0.0.0.0:${p.published}` })),
    );
    const open = published.filter(({ port }) => !port.startsWith('${') || !port.includes(':-127.0.0.1}'));
    // Only the gateways' own ports face the network: UDP packet forwarders and Basics Station.
    expect(open.map((p) => p.name).sort()).toEqual([
      'chirpstack-gateway-bridge',
      'chirpstack-gateway-bridge-basicstation',
    ]);
    // biome-ignore lint/suspicious/noTemplateCurlyInString: compose's own ${VAR:-default} syntax
    expect(services.api?.ports).toEqual(['${API_BIND:-127.0.0.1}:${API_HTTP_PORT:-8000}:8080']);
  });

  it('gives each ingest replica its own client id and spool volume, and no replica the superuser', () => {
    expect(ingestReplicas.length).toBeGreaterThanOrEqual(2);
    const ids = ingestReplicas.map((name) => services[name]?.environment?.MQTT_CLIENT_ID);
    const volumes = ingestReplicas.map((name) => services[name]?.volumes ?? []);
    expect(new Set(ids).size).toBe(ingestReplicas.length);
    for (const [i, name] of ingestReplicas.entries()) expect(volumes[i]).toEqual([`${name}-data:/var/lib/city`]);
    for (const name of [...ingestReplicas, 'api']) {
      expect(services[name]?.environment?.DATABASE_URL).toMatch(/^postgres:\/\/city_app:/);
    }
  });

  it('connects each service to the broker as its own MQTT user', () => {
    for (const name of ingestReplicas) expect(services[name]?.environment?.MQTT_URL).toMatch(/^mqtt:\/\/ingest:/);
    // Downlinks: only the api user may write application/+/device/+/command/down (mosquitto/acl).
    expect(services.api?.environment?.MQTT_URL).toMatch(/^mqtt:\/\/api:/);
  });

  it('requires every secret, and starts nothing that takes one before the preflight passed', () => {
    const names = (services.preflight?.environment?.SECRET_NAMES ?? '').split(/\s+/).filter(Boolean);
    expect(names).toContain('CHIRPSTACK_API_SECRET');
    for (const name of names) {
      const uses = composeText.match(new RegExp(`\\$\\{${name}[^}]*\\}`, 'g')) ?? [];
      expect(uses.length).toBeGreaterThan(0);
      for (const use of uses) expect(use).toMatch(new RegExp(`^\\$\\{${name}:\\?`));
    }
    const gated = (name: string, seen = new Set<string>()): boolean => {
      const deps = Object.keys(services[name]?.depends_on ?? {});
      if (deps.includes('preflight')) return true;
      return deps.some((d) => !seen.has(d) && gated(d, seen.add(d)));
    };
    const takesSecret = Object.entries(services)
      .filter(([name, s]) => name !== 'preflight' && names.some((n) => JSON.stringify(s.environment ?? {}).includes(n)))
      .map(([name]) => name);
    expect(takesSecret).toEqual(expect.arrayContaining(['timescaledb', 'chirpstack', 'mosquitto', 'api']));
    for (const name of takesSecret) expect({ name, gated: gated(name) }).toEqual({ name, gated: true });
  });

  it('the preflight refuses .env.example as shipped, and weak secrets, and passes good ones', () => {
    const example = envFile(readFileSync(deployFile('.env.example'), 'utf8'));
    const shipped = preflight(example);
    expect(shipped.status).toBe(1);
    expect(shipped.output).toContain('CHIRPSTACK_API_SECRET still has its placeholder');
    expect(shipped.output).toContain('set ADMIN_PASSWORD in .env');

    const good = Object.fromEntries(
      Object.entries(example).map(([k, v]) => [
        k,
        v.startsWith('CHANGE_ME') ? `${k.toLowerCase()}0123456789abcdef`.replace(/_/g, '') : v,
      ]),
    );
    expect(preflight(good)).toEqual({ status: 0, output: 'preflight: secrets ok\n' });
    // chirpstack-docker's public default secret, and one too short.
    expect(preflight({ ...good, CHIRPSTACK_API_SECRET: 'you-must-replace-this' }).status).toBe(1);
    expect(preflight({ ...good, MQTT_API_PASSWORD: 'abc123' }).status).toBe(1);
  });

  it('has a healthcheck for every long-running service', () => {
    const without = Object.entries(services)
      .filter(([name, s]) => name !== 'preflight' && !s.profiles && !s.healthcheck)
      .map(([name]) => name);
    // The UDP bridge has no endpoint to ask; Mosquitto's healthcheck covers its path.
    expect(without).toEqual(['chirpstack-gateway-bridge']);
    expect(services.chirpstack?.healthcheck?.test).toEqual([
      'CMD',
      'wget',
      '-q',
      '-O',
      '/dev/null',
      'http://127.0.0.1:8070/health',
    ]);
  });
});
