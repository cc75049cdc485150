import { monitorEventLoopDelay } from 'node:perf_hooks';
import { INGEST_SETTINGS, loadSettings, openPostgres, startIngestService } from '@city/ingest';
import { inProcessReadings, startServer } from '@city/twin';
import { pino } from 'pino';

/**
 * `pnpm bench alarms`' platform, in a process of its own as a city runs it: ingest and the
 * platform's server in one process (the embedded mode's shape) on the real broker and
 * PostgreSQL given as arguments, the stream open to the bench's clients as a demo kiosk.
 * Answers its HTTP port, then its CPU seconds, event-loop use and delay between `mark` and `report`.
 */
const [mqttUrl, databaseUrl, applicationId] = process.argv.slice(2) as [string, string, string];
const log = pino({ level: 'warn' });
const config = loadSettings(INGEST_SETTINGS, process.env, {
  eventTopic: `application/${applicationId}/device/+/event/+`,
  ttsTopic: '',
  // The server is in this process and hears the pipeline directly, as in the embedded mode.
  readingsTopic: '',
  mqttClientId: `bench-alarms-${applicationId}`,
});
const db = openPostgres(databaseUrl);
const service = await startIngestService(config, { log, mqttUrl, protocolVersion: 5, db });
const app = await startServer(
  {
    logger: log,
    ingest: service.api,
    auth: { jwtSecret: 'bench-secret-bench-secret-bench-secret', tokenTtlSeconds: 3600 },
    readings: inProcessReadings(service.ingest),
    demoKioskToken: 'bench-kiosk',
  },
  { port: 0, host: '127.0.0.1' },
);
const address = app.server.address();
process.send?.({ port: typeof address === 'object' && address ? address.port : 0 });

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
