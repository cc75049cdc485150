import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CHIRPSTACK_DOWNLINK_TOPIC, fillTopic } from '@city/ingest';
import mqtt, { type MqttClient } from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newApplicationId, type TestDatabase, testPostgres, testV5Broker, waitFor } from './support/engines.ts';
import { EM310, em310Uplink, eventTopic, testDevice } from './support/fleet.ts';
import { bounded } from './support/net.ts';
import { type ServiceProcess, spawnIngest, spawnServer } from './support/service-process.ts';

const UPLINKS = 20;
const ADMIN_PASSWORD = 'shape test admin password';

/**
 * The parts as production runs them: headless ingest and the platform's server as separate
 * processes, each started as the README says (`pnpm --filter ingest start`, `pnpm --filter twin
 * start`), over one PostgreSQL and one MQTT v5 broker (the real ones when DATABASE_URL and
 * MQTT_URL are set). What ingest stores, the server answers with; the server's downlinks reach
 * the broker; ingest serves only its health and metrics. The server makes its admin from
 * ADMIN_USER / ADMIN_PASSWORD, as production does.
 */
describe('ingest and the platform server as separate processes', () => {
  const applicationId = newApplicationId();
  const spoolDir = mkdtempSync(join(tmpdir(), 'shape-spool-'));
  const device = testDevice(applicationId, 1, { model: EM310 });
  let database: TestDatabase | undefined;
  let broker: Awaited<ReturnType<typeof testV5Broker>> | undefined;
  let ingest: ServiceProcess | undefined;
  let server: ServiceProcess | undefined;
  let client: MqttClient | undefined;

  let authorization = '';
  /** A request to a process; to the server, signed in as its admin. */
  const http = async (proc: ServiceProcess | undefined, path: string, init: RequestInit = {}) => {
    const headers = { ...(proc === server && authorization ? { authorization } : {}), ...init.headers };
    const res = await fetch(`http://127.0.0.1:${proc?.port}${path}`, { ...init, headers });
    return { status: res.status, body: (await res.json().catch(() => undefined)) as Record<string, unknown> };
  };

  beforeAll(async () => {
    [database, broker] = await Promise.all([testPostgres(), testV5Broker()]);
    const engines = { DATABASE_URL: database.url, MQTT_URL: broker.url };
    [ingest, server] = await Promise.all([
      spawnIngest(
        {
          ...engines,
          MQTT_CLIENT_ID: `shape-ingest-${applicationId}`,
          EVENT_TOPIC: `application/${applicationId}/device/+/event/+`,
          SPOOL_DIR: spoolDir,
          FLUSH_MS: '50',
        },
        'pnpm',
      ),
      spawnServer(
        {
          ...engines,
          MQTT_CLIENT_ID: `shape-api-${applicationId}`,
          JWT_SECRET: 'shape-test-secret-shape-test-secret',
          ADMIN_USER: 'chief',
          ADMIN_PASSWORD: ADMIN_PASSWORD,
        },
        'pnpm',
      ),
    ]);
    const login = await http(server, '/api/v1/auth/login', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'chief', password: ADMIN_PASSWORD }),
    });
    authorization = `Bearer ${login.body.token}`;
    client = await mqtt.connectAsync(broker.url, { clientId: `shape-test-${applicationId}` });
  });

  afterAll(async () => {
    await bounded(() => client?.endAsync(true) ?? Promise.resolve(), 5_000);
    await bounded(() => server?.stop() ?? Promise.resolve());
    await bounded(() => ingest?.stop() ?? Promise.resolve());
    await bounded(() => database?.close() ?? Promise.resolve());
    await bounded(() => broker?.close() ?? Promise.resolve());
    rmSync(spoolDir, { recursive: true, force: true });
  });

  it('ingest is headless: health and metrics, no API routes', async () => {
    const health = await http(ingest, '/api/v1/health');
    expect(health.status).toBe(200);
    expect(Object.keys(health.body.components as object).sort()).toEqual(['db', 'ingest', 'mqtt']);
    expect(await ingest?.metric('ingest_frames_in_total')).toBe(0);
    expect((await http(ingest, '/api/v1/devices')).status).toBe(404);
  });

  it('the server answers with what ingest stored, and its downlinks reach the broker', async () => {
    expect((await http(server, '/api/v1/health')).status).toBe(200);
    for (let fCnt = 0; fCnt < UPLINKS; fCnt++) {
      await client?.publishAsync(eventTopic(device, 'up'), Buffer.from(em310Uplink(device, fCnt)), { qos: 1 });
    }
    // 5 s alone; a loaded 2-core CI machine (both processes started by pnpm beside the other
    // suites) once needed more than 30 s, so the wait is generous: it ends as soon as they are in.
    await waitFor(
      'the server to see every uplink',
      async () => {
        const { status, body } = await http(server, `/api/v1/devices/${device.devEui}`);
        return status === 200 && body.fCnt === UPLINKS - 1;
      },
      90_000,
    );
    const readings = await http(
      server,
      `/api/v1/devices/${device.devEui}/readings?metric=battery&from=2026-11-19T00:00:00Z&to=2026-11-21T00:00:00Z`,
    );
    expect(readings.status).toBe(200);
    expect(readings.body).toHaveLength(UPLINKS);

    // A device registered through the server, of a model that takes commands (EM400-UDL: report
    // interval); the server publishes the command as ChirpStack's downlink.
    const meter = testDevice(applicationId, 2);
    const json = { 'content-type': 'application/json' };
    const registered = await http(server, '/api/v1/devices', {
      method: 'POST',
      headers: json,
      body: JSON.stringify({ devEui: meter.devEui, model: 'milesight-iot/em400-udl', applicationId }),
    });
    expect(registered.status).toBe(201);
    const topic = fillTopic(CHIRPSTACK_DOWNLINK_TOPIC, { applicationId, devEui: meter.devEui });
    await client?.subscribeAsync(topic, { qos: 1 });
    const received = new Promise<Record<string, unknown>>((resolve) =>
      client?.on('message', (t, payload) => t === topic && resolve(JSON.parse(payload.toString()))),
    );
    const sent = await http(server, `/api/v1/devices/${meter.devEui}/downlink`, {
      method: 'POST',
      headers: json,
      body: JSON.stringify({ command: { type: 'report_interval', seconds: 600 } }),
    });
    expect(sent.status).toBe(202);
    expect(await received).toMatchObject({ devEui: meter.devEui, fPort: sent.body.fPort });
  }, 150_000);
});
