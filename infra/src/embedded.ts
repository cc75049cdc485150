import { mkdir } from 'node:fs/promises';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { DEMO_DEVICES as DEMO_CITY_DEVICES, demoCity, makeFleet, OUTPUTS, runFleet } from '@city/firmware-sim';
import { loadSettings, openDb, runService, startEmbeddedBroker, startIngestService } from '@city/ingest';
import { startServer } from '@city/twin';
import mqtt from 'mqtt';
import { pino } from 'pino';
import { ALL_SETTINGS } from './embedded-settings.ts';

const DEMO_APPLICATION = 'demo-city';
const DEMO_SEED = 2026;

/**
 * `pnpm start`: the whole system in one process. Embedded engines unless DATABASE_URL /
 * MQTT_URL name real ones: aedes broker, PGlite (TimescaleDB build) under DATA_DIR, ingest,
 * the platform's server (twin) with ingest's routes, and firmware-sim playing the demo city's devices.
 */
runService(async () => {
  const started = Date.now();
  const config = loadSettings(ALL_SETTINGS);
  const log = pino({ level: config.logLevel });
  const { demoDevices, demoSpeed } = config;

  const broker = config.mqttUrl ? undefined : await startEmbeddedBroker(config.mqttPort, log);
  const mqttUrl = config.mqttUrl ?? (broker?.url as string);

  if (!config.databaseUrl) await mkdir(config.dataDir, { recursive: true });
  const db = await openDb({ databaseUrl: config.databaseUrl, dataDir: join(config.dataDir, 'pglite') });
  const service = await startIngestService(config, {
    log,
    mqttUrl,
    protocolVersion: broker ? 4 : 5,
    db,
  });

  const port = await freePort(config.port, log);
  const api = await startServer({ logger: log, ingest: service.api }, { port, host: config.host });

  const simClient = await mqtt.connectAsync(mqttUrl, { clientId: `firmware-sim-${process.pid}` });
  // The demo city's devices (an even pick of them when DEMO_DEVICES is smaller), each tagged
  // with its model and object number so ingest registers and binds it on its first uplink.
  // Readings carry the wall clock: the dashboard shows "now" while the city lives faster.
  const start = Date.now();
  const city = demoCity(DEMO_SEED, Math.max(demoDevices, DEMO_CITY_DEVICES));
  const fleet = makeFleet({ seed: DEMO_SEED, applicationId: DEMO_APPLICATION, start, city, count: demoDevices });
  const run = runFleet(fleet, (topic, payload) => simClient.publishAsync(topic, Buffer.from(payload), { qos: 1 }), {
    speed: demoSpeed,
    seed: DEMO_SEED,
    start,
    output: OUTPUTS.chirpstack({ marshaler: 'json' }),
    timestamps: 'wall',
  });

  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  console.log(
    [
      '',
      `  City situation center is up (${seconds} s)`,
      `  API         http://localhost:${port}/api/v1   (health: /api/v1/health)`,
      `  API docs    http://localhost:${port}/docs`,
      `  Metrics     http://localhost:${port}/metrics`,
      `  MQTT        ${mqttUrl}${broker ? ' (embedded)' : ''}`,
      `  Database    ${config.databaseUrl ? 'PostgreSQL (DATABASE_URL)' : `embedded PGlite in ${join(config.dataDir, 'pglite')}`}${db.timescale ? ', TimescaleDB' : ''}`,
      `  Demo city   ${city.objects.length} numbered objects (synthetic); ${fleet.length} simulated devices, ${demoSpeed}x real time`,
      '',
    ].join('\n'),
  );

  return {
    log,
    stop: async () => {
      log.info({ uplinksSent: run.uplinks }, 'stopping the demo fleet');
      await run.stop();
      await simClient.endAsync();
      await api.close();
      await service.close();
      await broker?.close();
    },
  };
});

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
