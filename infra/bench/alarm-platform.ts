import { monitorEventLoopDelay } from 'node:perf_hooks';
import { INGEST_SETTINGS, loadSettings, openIngestApiBackend, openPostgres, startIngestService } from '@city/ingest';
import { brokerReadings, inProcessReadings, startServer } from '@city/twin';
import { pino } from 'pino';

/**
 * `pnpm bench alarms`' platform, in a process of its own as a city runs it, on the real broker
 * and PostgreSQL given as arguments: `embedded` - ingest and the platform's server in one process
 * (the embedded mode's shape), the server hearing the pipeline directly; `ingest` - ingest alone,
 * publishing committed readings on READINGS_TOPIC; `server` - the server alone, hearing them there
 * (production's shape, two processes). The server's stream is open to the bench's clients as a demo kiosk.
 * Answers its HTTP port (0: none), then its CPU seconds, event-loop use and delay between `mark` and `report`.
 */
type Role = 'embedded' | 'ingest' | 'server';
const [mqttUrl, databaseUrl, applicationId, role] = process.argv.slice(2) as [string, string, string, Role];
const log = pino({ level: 'warn' });
const readingsTopic = `bench/${applicationId}/readings`;
const config = loadSettings(INGEST_SETTINGS, process.env, {
  eventTopic: `application/${applicationId}/device/+/event/+`,
  ttsTopic: '',
  readingsTopic: role === 'ingest' ? readingsTopic : '',
  mqttClientId: `bench-alarms-${applicationId}`,
  databaseUrl,
});
const auth = { jwtSecret: 'bench-secret-bench-secret-bench-secret', tokenTtlSeconds: 3600 };

async function start(): Promise<number> {
  if (role === 'server') {
    const ingest = await openIngestApiBackend(config, { log, mqttUrl });
    const readings = brokerReadings({
      url: mqttUrl,
      topic: readingsTopic,
      clientId: `bench-server-${applicationId}`,
      log,
    });
    const app = await startServer(
      { logger: log, ingest, auth, readings, demoKioskToken: 'bench-kiosk' },
      { port: 0, host: '127.0.0.1' },
    );
    return portOf(app.server.address());
  }
  const db = openPostgres(databaseUrl);
  const service = await startIngestService(config, { log, mqttUrl, protocolVersion: 5, db });
  if (role === 'ingest') return 0;
  const app = await startServer(
    {
      logger: log,
      ingest: service.api,
      auth,
      readings: inProcessReadings(service.ingest),
      demoKioskToken: 'bench-kiosk',
    },
    { port: 0, host: '127.0.0.1' },
  );
  return portOf(app.server.address());
}

function portOf(address: ReturnType<import('node:net').Server['address']>): number {
  return typeof address === 'object' && address ? address.port : 0;
}

process.send?.({ port: await start() });

const delay = monitorEventLoopDelay({ resolution: 1 });
delay.enable();
let cpu = process.cpuUsage();
let loop = performance.eventLoopUtilization();
process.on('message', (message: 'mark' | 'report') => {
  if (message === 'mark') {
    cpu = process.cpuUsage();
    loop = performance.eventLoopUtilization();
    delay.reset();
    process.send?.('marked');
    return;
  }
  const used = process.cpuUsage(cpu);
  process.send?.({
    cpuSeconds: (used.user + used.system) / 1e6,
    eventLoop: performance.eventLoopUtilization(loop).utilization,
    rssMb: process.memoryUsage().rss / 2 ** 20,
    delayP99Ms: delay.percentile(99) / 1e6,
    delayMaxMs: delay.max / 1e6,
  });
});
