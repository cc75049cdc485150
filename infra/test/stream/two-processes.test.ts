import { randomBytes } from 'node:crypto';
import { type Db, migrate, openPostgres } from '@city/ingest';
import { importObjects, migrateTwin, seedReferenceData } from '@city/twin';
import type { ReportStreamEvent } from '@city/twin/contract';
import { io, type Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TestDatabase, testPostgres, testV5Broker, waitFor } from '../support/engines.ts';
import { bounded, sleep } from '../support/net.ts';
import { type ServiceProcess, spawnServer } from '../support/service-process.ts';

const REAL_ENGINES = Boolean(process.env.DATABASE_URL && process.env.REDIS_URL);

/** What one stream client received: reports and incidents by event id. */
interface Client {
  socket: Socket;
  reports: ReportStreamEvent[];
  incidents: { eventId: number }[];
}

/**
 * The live stream across server processes: two platform servers (their `main`, configured through
 * the environment as production runs them) on one PostgreSQL database and the machine's Redis. A
 * change committed on either reaches a client of each exactly once: the committing process emits
 * to its rooms through the Redis adapter, which delivers to the sockets of every process.
 */
describe.skipIf(!REAL_ENGINES)('the live stream across two server processes (real PostgreSQL and Redis)', () => {
  const run = randomBytes(4).toString('hex');
  const district = `s${run}`;
  const admin = { user: 'stream-admin', password: randomBytes(12).toString('base64url') };
  const numbers = [`СМ-${run}-00001`, `СМ-${run}-00002`];
  let database: TestDatabase | undefined;
  let db: Db | undefined;
  let broker: Awaited<ReturnType<typeof testV5Broker>> | undefined;
  const processes: ServiceProcess[] = [];
  const clients: Client[] = [];

  beforeAll(async () => {
    [database, broker] = await Promise.all([testPostgres(), testV5Broker()]);
    db = openPostgres(database.url);
    await migrate(db);
    await migrateTwin(db);
    await seedReferenceData(db);
    const square = [
      [35.1, 47.8],
      [35.12, 47.8],
      [35.12, 47.82],
      [35.1, 47.82],
      [35.1, 47.8],
    ];
    const features = [
      {
        type: 'Feature',
        geometry: { type: 'Polygon', coordinates: [square] },
        properties: { kind: 'district', code: district, name: 'Тестовий' },
      },
      ...numbers.map((number, i) => ({
        type: 'Feature',
        geometry: { type: 'Point', coordinates: [35.105 + i * 0.005, 47.81] },
        properties: { number, type: 'bin' },
      })),
    ];
    const report = await importObjects(db, { format: 'geojson', collection: { features } }, { mode: 'all-or-nothing' });
    if (!report.written) throw new Error(`objects not imported: ${JSON.stringify(report.rejected)}`);
    const env = {
      DATABASE_URL: database.url,
      MQTT_URL: broker.url,
      READINGS_TOPIC: '',
      REDIS_URL: process.env.REDIS_URL as string,
      // Channels of this run only: other suites may share the machine's Redis.
      STREAM_CHANNEL: `city-stream-test-${run}`,
      JWT_SECRET: 'test-secret-test-secret-test-secret-test-secret',
      ADMIN_USER: admin.user,
      ADMIN_PASSWORD: admin.password,
    };
    processes.push(await spawnServer(env), await spawnServer(env));
  }, 180_000);

  afterAll(async () => {
    for (const c of clients) c.socket.close();
    for (const p of processes) await bounded(p.stop());
    await bounded(() => db?.close() ?? Promise.resolve());
    await bounded(() => database?.close() ?? Promise.resolve());
    await bounded(() => broker?.close() ?? Promise.resolve());
  });

  const base = (p: ServiceProcess) => `http://127.0.0.1:${p.port}`;

  const connect = async (p: ServiceProcess, token: string): Promise<Client> => {
    const socket = io(base(p), { auth: { token }, transports: ['websocket'], reconnection: false, forceNew: true });
    const client: Client = { socket, reports: [], incidents: [] };
    socket.on('report', (e: ReportStreamEvent) => client.reports.push(e));
    socket.on('incident', (e: { eventId: number }) => client.incidents.push(e));
    const resumed = new Promise((resolve, reject) => {
      socket.once('resumed', resolve);
      socket.once('connect_error', reject);
    });
    clients.push(client);
    await resumed;
    return client;
  };

  /** A resident's report filed through one process: its incident and report are announced on the stream. */
  const fileReport = async (p: ServiceProcess, objectNumber: string) => {
    const res = await fetch(`${base(p)}/api/v1/reports`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ objectNumber, category: 'bin_overflow' }),
    });
    expect(res.status).toBe(201);
    return ((await res.json()) as { incidentId: number }).incidentId;
  };

  it('delivers every event committed on either process once to a client of each', async () => {
    const [a, b] = processes as [ServiceProcess, ServiceProcess];
    const login = await fetch(`${base(a)}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: admin.user, password: admin.password }),
    });
    const { token } = (await login.json()) as { token: string };
    const onA = await connect(a, token);
    const onB = await connect(b, token);

    const filed = [await fileReport(a, numbers[0] as string), await fileReport(b, numbers[1] as string)];
    for (const client of [onA, onB])
      await waitFor('both reports on the stream', async () => client.reports.length >= 2, 10_000);
    // Anything sent twice would have arrived by now.
    await sleep(500);
    for (const client of [onA, onB]) {
      expect(client.reports.map((r) => r.report.incidentId)).toEqual(filed);
      expect(new Set(client.reports.map((r) => r.eventId)).size).toBe(2);
      expect(client.incidents.length).toBe(2);
    }
    expect(onA.reports).toEqual(onB.reports);
  });
});
