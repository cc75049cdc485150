import { mkdir } from 'node:fs/promises';
import { createServer } from 'node:net';
import { join, resolve } from 'node:path';
import {
  type City,
  DEMO_DEVICES as DEMO_CITY_DEVICES,
  demoCity,
  listenForDownlinks,
  makeFleet,
  OUTPUTS,
  runFleet,
  toGeoJSON,
} from '@city/firmware-sim';
import {
  ConfigError,
  type Db,
  loadSettings,
  networkServerAccount,
  openDb,
  redactUrl,
  runService,
  startEmbeddedBroker,
  startIngestService,
} from '@city/ingest';
import {
  countObjects,
  importObjects,
  inProcessReadings,
  jwtSecret,
  migrateTwin,
  seedReferenceData,
  serverSettings,
  startServer,
} from '@city/twin';
import mqtt from 'mqtt';
import { pino } from 'pino';
import { DASHBOARD_DIST, ensureDashboardBuilt } from './dashboard-build.ts';
import { createDemoAccounts } from './demo-accounts.ts';
import { ALL_SETTINGS, EMBEDDED_SETTINGS, type EmbeddedConfig } from './embedded-settings.ts';

const DEMO_APPLICATION = 'demo-city';
/** What a wall screen of the demo may send as its kiosk token on the stream (none works too). */
const DEMO_KIOSK_TOKEN = 'demo-kiosk';
const DEMO_SEED = 2026;

/**
 * `pnpm start`: the whole system in one process. Embedded engines unless DATABASE_URL /
 * MQTT_URL name real ones: aedes broker, PGlite under DATA_DIR, ingest,
 * the platform's server (twin) with ingest's routes, and firmware-sim playing the demo city's devices.
 */
runService(async () => {
  const started = Date.now();
  const config = loadSettings(ALL_SETTINGS);
  const log = pino({ level: config.logLevel });
  const { demoDevices, demoSpeed } = config;

  const networkServer = networkServerAccount(config.demoMqttUser, config.demoMqttPassword);
  const broker = config.mqttUrl
    ? undefined
    : await startEmbeddedBroker({
        port: config.mqttPort,
        host: brokerHost(config),
        accounts: [networkServer],
        reservedClientId: config.mqttClientId,
        log,
      });
  const mqttUrl = config.mqttUrl ?? (broker?.url as string);

  if (!config.databaseUrl) await mkdir(config.dataDir, { recursive: true });
  const db = await openDb({ databaseUrl: config.databaseUrl, dataDir: join(config.dataDir, 'pglite') });
  // The demo fleet registers itself zero-touch, all at once: a larger DEMO_DEVICES raises the allowance.
  const adoptPerHour = Math.max(config.adoptPerHour, config.demoDevices);
  const service = await startIngestService(
    { ...config, adoptPerHour },
    {
      log,
      db,
      ...(broker ? { broker } : { mqttUrl, protocolVersion: 5 as const }),
    },
  );

  // The demo city's objects are in the registry before the server builds its index from it.
  const city = demoCity(DEMO_SEED, Math.max(demoDevices, DEMO_CITY_DEVICES));
  await importDemoCity(db, city, log);

  // The pages, built when their sources changed since the last build (a fresh clone's first start).
  if (resolve(config.dashboardDir) === DASHBOARD_DIST) {
    const dashboard = await ensureDashboardBuilt();
    if (dashboard.built) log.info(`dashboard built in ${dashboard.seconds.toFixed(1)} s`);
  }

  const port = await freePort(config.port, log);
  const auth = { jwtSecret: jwtSecret(config, { embedded: true }), tokenTtlSeconds: config.tokenTtlSeconds };
  const api = await startServer(
    {
      logger: log,
      ingest: service.api,
      auth,
      // The pipeline's committed readings, handed over in this process (no broker hop).
      readings: inProcessReadings(service.ingest),
      // The demo's wall opens without a login (API.md, Live stream).
      demoKioskToken: DEMO_KIOSK_TOKEN,
      ...serverSettings(config, port),
    },
    { port, host: config.host },
  );
  await createDemoAccounts(db, config);

  // The fleet plays the network server, with its account on the embedded broker (a real
  // broker's URL carries its own credentials).
  const simClient = await mqtt.connectAsync(mqttUrl, {
    clientId: `firmware-sim-${process.pid}`,
    ...(broker ? { username: networkServer.username, password: networkServer.password } : {}),
  });
  // The demo city's devices (an even pick of them when DEMO_DEVICES is smaller), each tagged
  // with its model and object number so ingest registers and binds it on its first uplink.
  // Readings carry the wall clock: the dashboard shows "now" while the city lives faster.
  const start = Date.now();
  const fleet = makeFleet({ seed: DEMO_SEED, applicationId: DEMO_APPLICATION, start, city, count: demoDevices });
  const run = runFleet(fleet, (topic, payload) => simClient.publishAsync(topic, Buffer.from(payload), { qos: 1 }), {
    speed: demoSpeed,
    seed: DEMO_SEED,
    start,
    output: OUTPUTS.chirpstack({ marshaler: 'json' }),
    timestamps: 'wall',
  });
  // The streetlight controllers take the platform's commands and report their new state, as real ones do.
  const downlinks = await listenForDownlinks(simClient, fleet, run.control, {
    applicationId: DEMO_APPLICATION,
    onDownlink: (d) => log.debug(d, 'demo fleet: downlink'),
  });

  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  console.log(
    [
      '',
      `  City situation center is up (${seconds} s)`,
      `  Wall        http://localhost:${port}/          (the situation center; opens without a login in the demo)`,
      `  Desk        http://localhost:${port}/desk      (dispatchers and operators sign in)`,
      `  Residents   http://localhost:${port}/r         (report a problem by an object's number)`,
      `  API         http://localhost:${port}/api/v1   (health: /api/v1/health)`,
      `  API docs    http://localhost:${port}/docs`,
      `  Metrics     http://localhost:${port}/metrics`,
      `  Staff       sign in as "${config.demoAdminUser}", "operator" or "dispatcher" (demo passwords: README, Security)`,
      `  MQTT        ${redactUrl(mqttUrl)}${broker ? ` (embedded; network server account "${networkServer.username}")` : ''}`,
      `  Database    ${config.databaseUrl ? 'PostgreSQL (DATABASE_URL)' : `embedded PGlite in ${join(config.dataDir, 'pglite')}`}${db.timescale ? ', TimescaleDB' : ''}`,
      `  Demo city   ${city.objects.length} numbered objects (synthetic); ${fleet.length} simulated devices, ${demoSpeed}x real time`,
      '',
    ].join('\n'),
  );

  return {
    log,
    stop: async () => {
      // The fleet stops before its count is logged: it keeps sending until it has stopped.
      await downlinks.stop();
      await run.stop();
      log.info({ uplinksSent: run.uplinks }, 'demo fleet stopped');
      await simClient.endAsync();
      await api.close();
      await service.close();
      await broker?.close();
    },
  };
});

/**
 * On first start (no objects yet), the demo city comes in through the twin's import, the same
 * path as a city's own file (`POST /api/v1/objects/import`), which then replaces it. A city
 * that has imported its own objects keeps them: the demo is not imported over them.
 */
async function importDemoCity(db: Db, city: City, log: pino.Logger): Promise<void> {
  await migrateTwin(db);
  await seedReferenceData(db);
  if ((await countObjects(db)) > 0) return;
  const report = await importObjects(
    db,
    { format: 'geojson', collection: toGeoJSON(city) },
    { mode: 'all-or-nothing' },
  );
  if (!report.written) {
    const first = report.rejected[0];
    throw new Error(`the demo city did not import: ${report.rejectedCount} rejected, first ${JSON.stringify(first)}`);
  }
  log.info(
    { objects: report.created, districts: report.districts, ms: report.ms },
    `demo city imported: ${report.created} objects in ${report.districts} districts in ${(report.ms / 1000).toFixed(1)} s`,
  );
}

/**
 * Where the embedded broker listens. Opened beyond this machine, its network server account
 * must not keep the password every reader of the README knows.
 */
function brokerHost(config: EmbeddedConfig): string {
  const loopback = ['127.0.0.1', '::1', 'localhost'].includes(config.mqttHost);
  if (!loopback && config.demoMqttPassword === EMBEDDED_SETTINGS.demoMqttPassword.default)
    throw new ConfigError(
      `invalid configuration:\n  MQTT_HOST=${config.mqttHost} opens the embedded broker: set DEMO_MQTT_PASSWORD to a password of your own`,
    );
  return config.mqttHost;
}

/** The wanted port if free; otherwise says so and takes a free one. */
async function freePort(wanted: number, log: pino.Logger): Promise<number> {
  const tryPort = (port: number) =>
    new Promise<number>((resolve, reject) => {
      const probe = createServer();
      probe.once('error', reject);
      probe.listen(port, () => {
        const address = probe.address();
        probe.close(() => resolve(typeof address === 'object' && address ? address.port : port));
      });
    });
  try {
    return await tryPort(wanted);
  } catch {
    const port = await tryPort(0);
    log.warn(`HTTP port ${wanted} is taken; the API uses port ${port}`);
    return port;
  }
}
