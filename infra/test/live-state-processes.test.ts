import { randomBytes } from 'node:crypto';
import { demoCity, eventTopic, makeFleet, toGeoJSON, uplink, uplinkEvent } from '@city/firmware-sim';
import { type Db, type IngestService, migrate, openPostgres } from '@city/ingest';
import { buildServer, importObjects, inProcessReadings, migrateTwin, seedReferenceData } from '@city/twin';
import type { FastifyInstance } from 'fastify';
import mqtt, { type MqttClient } from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  count,
  type Engines,
  quietLog,
  startEngines,
  TEST_SPOOL_DIR,
  type TestDatabase,
  testPostgres,
  testV5Broker,
  waitFor,
} from './support/engines.ts';
import { signIn, startTestIngest } from './support/ingest.ts';
import { bounded, sleep } from './support/net.ts';
import { type ServiceProcess, spawnIngest, spawnServer } from './support/service-process.ts';

const SEED = 2026;
const DEVICES = 60;
const ROUNDS = 3;
/** An ingest process's registry reads device changes again this often (ingest's REGISTRY_REFRESH_MS). */
const INGEST_REGISTRY_REFRESH_MS = 10_000;

/** GETs on one server, signed in. */
type Get = (url: string) => Promise<unknown>;

interface Side {
  get: Get;
  post(url: string, payload: object): Promise<{ status: number; body: unknown }>;
  publish(topic: string, payload: Uint8Array): Promise<void>;
  uplinks(): Promise<number>;
}

/**
 * The live state across processes: an ingest process and a twin process (their `main`s, configured
 * through the environment as production runs them) on PostgreSQL and an MQTT v5 broker - the
 * machine's (DATABASE_URL, MQTT_URL) when set, else private throwaway ones - fed the same uplinks
 * of the demo fleet as the embedded mode (one process: aedes, PGlite, the twin hearing ingest's
 * event), give the same live state and district aggregates. A sensor moved meanwhile takes its
 * next readings to its new object in both. A twin started afterwards, rebuilding from the
 * database alone, has the same state as the ones that built it live.
 */
describe('live state across processes', () => {
  const city = demoCity(SEED);
  const applicationId = `test-${randomBytes(6).toString('hex')}`;
  const fleet = makeFleet({ seed: SEED, applicationId, start: Date.now() - 3_600_000, city, count: DEVICES });
  const numbers = [...new Set(fleet.map((d) => d.objectNumber))];
  // The districts and the fleet's objects, as the city's import takes them.
  const geojson = toGeoJSON(city);
  const features = geojson.features.filter(
    (f) => f.properties?.kind === 'district' || numbers.includes(f.properties?.number as string),
  );
  const seed = async (db: Db) => {
    await migrate(db);
    await migrateTwin(db);
    await seedReferenceData(db);
    const report = await importObjects(db, { format: 'geojson', collection: { features } }, { mode: 'all-or-nothing' });
    if (!report.written) throw new Error(`the fleet's objects were not imported: ${JSON.stringify(report.rejected)}`);
  };

  // The embedded mode, in this process.
  let engines: Engines | undefined;
  let ingest: IngestService | undefined;
  const servers: FastifyInstance[] = [];
  let embeddedPublisher: MqttClient | undefined;
  // Production's shape: processes.
  let broker: Awaited<ReturnType<typeof testV5Broker>> | undefined;
  let database: TestDatabase | undefined;
  let db: Db | undefined;
  const processes: ServiceProcess[] = [];
  let publisher: MqttClient | undefined;
  const readingsTopic = `city/readings/${applicationId}`;
  const admin = { user: 'live-admin', password: randomBytes(12).toString('base64url') };

  const embeddedServer = async (): Promise<Side> => {
    if (!engines || !ingest) throw new Error('embedded engines not started');
    const app = await buildServer({
      logger: quietLog,
      ingest: ingest.api,
      auth: { jwtSecret: 'test-secret-test-secret-test-secret', tokenTtlSeconds: 3600 },
      readings: inProcessReadings(ingest.ingest),
    });
    servers.push(app);
    const token = await signIn(app, engines.db, 'operator');
    const headers = { authorization: `Bearer ${token}` };
    const { db: edb } = engines;
    return {
      get: async (url) => (await app.inject({ url, headers })).json(),
      post: async (url, payload) => {
        const res = await app.inject({ method: 'POST', url, payload, headers });
        return { status: res.statusCode, body: res.json() };
      },
      publish: async (topic, payload) =>
        void (await embeddedPublisher?.publishAsync(topic, Buffer.from(payload), { qos: 1 })),
      uplinks: () => count(edb, 'uplinks'),
    };
  };

  const twinProcess = async (): Promise<Side> => {
    if (!broker || !database || !db) throw new Error('real engines not started');
    const twin = await spawnServer({
      DATABASE_URL: database.url,
      MQTT_URL: broker.url,
      READINGS_TOPIC: readingsTopic,
      JWT_SECRET: 'test-secret-test-secret-test-secret-test-secret',
      ADMIN_USER: admin.user,
      ADMIN_PASSWORD: admin.password,
    });
    processes.push(twin);
    const base = `http://127.0.0.1:${twin.port}`;
    const login = await fetch(`${base}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: admin.user, password: admin.password }),
    });
    const { token } = (await login.json()) as { token: string };
    const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
    const pdb = db;
    return {
      get: async (url) => (await fetch(`${base}${url}`, { headers })).json(),
      post: async (url, payload) => {
        const res = await fetch(`${base}${url}`, { method: 'POST', headers, body: JSON.stringify(payload) });
        return { status: res.status, body: await res.json() };
      },
      publish: async (topic, payload) => void (await publisher?.publishAsync(topic, Buffer.from(payload), { qos: 1 })),
      uplinks: () => count(pdb, 'uplinks'),
    };
  };

  let embedded: Side;
  let production: Side;

  beforeAll(async () => {
    engines = await startEngines('embedded');
    await seed(engines.db);
    ingest = await startTestIngest({ ...engines, applicationId });
    embedded = await embeddedServer();
    embeddedPublisher = await mqtt.connectAsync(engines.mqttUrl, { clientId: `pub-${applicationId}` });

    [broker, database] = await Promise.all([testV5Broker(), testPostgres()]);
    db = openPostgres(database.url);
    await seed(db);
    processes.push(
      await spawnIngest({
        DATABASE_URL: database.url,
        MQTT_URL: broker.url,
        MQTT_CLIENT_ID: `ingest-${applicationId}`,
        EVENT_TOPIC: `application/${applicationId}/device/+/event/+`,
        READINGS_TOPIC: readingsTopic,
        SPOOL_DIR: TEST_SPOOL_DIR,
        FLUSH_MS: '50',
      }),
    );
    production = await twinProcess();
    publisher = await mqtt.connectAsync(broker.url, { clientId: `pub-${applicationId}`, protocolVersion: 5 });
  }, 180_000);

  afterAll(async () => {
    await bounded(() => publisher?.endAsync(true) ?? Promise.resolve(), 5_000);
    await bounded(() => embeddedPublisher?.endAsync(true) ?? Promise.resolve(), 5_000);
    for (const p of processes) await bounded(p.stop());
    for (const app of servers) await bounded(app.close());
    await bounded(() => ingest?.close() ?? Promise.resolve());
    await bounded(() => engines?.close() ?? Promise.resolve());
    await bounded(() => db?.close() ?? Promise.resolve());
    await bounded(() => database?.close() ?? Promise.resolve());
    await bounded(() => broker?.close() ?? Promise.resolve());
  });

  /** A round of uplinks: one per device, dated `at`, spread over a minute. The same bytes go to both. */
  let sent = 0;
  const round = async (at: number) => {
    const frames = fleet.map((device, i) => ({
      topic: eventTopic(device, 'up'),
      payload: uplinkEvent(uplink(device, at + i * 1000), 'json'),
    }));
    for (const side of [embedded, production]) await Promise.all(frames.map((f) => side.publish(f.topic, f.payload)));
    sent += frames.length;
    for (const [name, side] of [
      ['embedded', embedded],
      ['processes', production],
    ] as const)
      await waitFor(`${sent} uplinks stored (${name})`, async () => (await side.uplinks()) === sent, 60_000);
  };

  /** What a server shows: every fleet object's live state and the districts' aggregates. */
  const shown = async (side: Side) => {
    const objects: Record<string, unknown> = {};
    for (const number of numbers)
      objects[number] = await side.get(`/api/v1/objects/${encodeURIComponent(number)}/live`);
    const { districts } = (await side.get('/api/v1/districts/aggregates')) as { districts: unknown[] };
    return { objects, districts };
  };

  /** Polls until both show the same (the twin process hears the broker, and reads bindings every 5 s). */
  const expectSame = async (a: Side, b: Side) => {
    let last: [unknown, unknown] = [undefined, undefined];
    try {
      await waitFor(
        'the same live state',
        async () => {
          last = [await shown(a), await shown(b)];
          return JSON.stringify(last[0]) === JSON.stringify(last[1]);
        },
        30_000,
      );
    } catch {
      expect(last[1]).toEqual(last[0]);
    }
    return last[0] as Awaited<ReturnType<typeof shown>>;
  };

  it('an ingest process and a twin process show what the embedded mode shows; a moved sensor reports to its new object', async () => {
    const start = Date.now() - 30 * 60_000;
    for (let r = 0; r < ROUNDS - 1; r++) await round(start + r * 10 * 60_000);
    const before = await expectSame(embedded, production);
    const live = Object.values(before.objects).filter((o) => o !== null);
    expect(live.length).toBe(numbers.length);
    expect(before.districts.length).toBeGreaterThan(1);

    // Move a bin sensor onto another bin's object, through each twin; the ingest process's
    // registry hears of it at its next refresh. It reports after the host's own sensor in a
    // round, so its values are the host's newest.
    const bins = fleet.filter((d) => d.class === 'bin');
    const [host, moved] = bins as [(typeof bins)[0], (typeof bins)[0]];
    for (const side of [embedded, production]) {
      const res = await side.post('/api/v1/bindings', { devEui: moved.devEui, objectNumber: host.objectNumber });
      expect(res).toMatchObject({
        status: 200,
        body: { previous: moved.objectNumber, objectNumber: host.objectNumber },
      });
    }
    await sleep(INGEST_REGISTRY_REFRESH_MS + 1000);
    await round(start + (ROUNDS - 1) * 10 * 60_000);
    const after = await expectSame(embedded, production);

    // The moved sensor's newest readings are on its new object; its old object keeps what it measured there.
    const hostState = after.objects[host.objectNumber] as { metrics: Record<string, { devEui: string; time: string }> };
    const oldState = after.objects[moved.objectNumber] as { metrics: Record<string, { devEui: string; time: string }> };
    const fromMoved = Object.values(hostState.metrics).filter((v) => v.devEui === moved.devEui);
    expect(fromMoved.length).toBeGreaterThan(0);
    expect(Object.values(oldState.metrics).every((v) => v.devEui === moved.devEui)).toBe(true);
    expect(Math.max(...Object.values(oldState.metrics).map((v) => Date.parse(v.time)))).toBeLessThan(
      Math.min(...fromMoved.map((v) => Date.parse(v.time))),
    );
  });

  it('a twin started afterwards rebuilds the same state from the database alone, in either mode', async () => {
    const rebuiltEmbedded = await embeddedServer();
    await expectSame(embedded, rebuiltEmbedded);
    const rebuiltProcess = await twinProcess();
    await expectSame(production, rebuiltProcess);
  });
});
