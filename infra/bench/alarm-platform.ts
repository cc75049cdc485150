import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { INGEST_SETTINGS, loadSettings, openPostgres, startIngestService } from '@city/ingest';
import { inProcessReadings, startServer } from '@city/twin';
import { pino } from 'pino';

/**
 * `pnpm bench alarms`' platform, in a process of its own as a city runs it: ingest and the
 * platform's server in one process (the embedded mode's shape) on the real broker and
 * PostgreSQL given as arguments, the stream open to the bench's clients as a demo kiosk.
 * Answers its HTTP port, then its CPU seconds and event-loop use between `mark` and `report`.
 */
const [mqttUrl, databaseUrl, applicationId] = process.argv.slice(2) as [string, string, string];
const log = pino({ level: 'warn' });
const config = loadSettings(INGEST_SETTINGS, process.env, {
  eventTopic: `application/${applicationId}/device/+/event/+`,
  ttsTopic: '',
  mqttClientId: `bench-alarms-${applicationId}`,
  spoolDir: join(tmpdir(), 'city-bench-alarms-spool'),
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

let cpu = process.cpuUsage();
let loop = performance.eventLoopUtilization();
process.on('message', async (message: 'mark' | 'report' | 'stop') => {
  if (message === 'mark') {
    cpu = process.cpuUsage();
    loop = performance.eventLoopUtilization();
    process.send?.('marked');
  } else if (message === 'report') {
    const used = process.cpuUsage(cpu);
    process.send?.({
      cpuSeconds: (used.user + used.system) / 1e6,
      eventLoop: performance.eventLoopUtilization(loop).utilization,
      rssMb: process.memoryUsage().rss / 2 ** 20,
    });
  } else {
    await app.close();
    await service.close();
    process.exit(0);
  }
});
