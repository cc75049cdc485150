import { fork } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { demoCity, toGeoJSON } from '@city/firmware-sim';
import { migrate, openPostgres } from '@city/ingest';
import { importObjects, migrateTwin, seedReferenceData } from '@city/twin';
import { createScratchDatabase } from '../test/support/engines.ts';
import { startThrowawayMosquitto } from '../test/support/throwaway-mosquitto.ts';
import { reply, until } from './child.ts';
import { cpuSeconds, cpuSecondsOf } from './cpu.ts';
import { type BenchResult, rate } from './report.ts';

const RATE = Number(process.env.BENCH_RATE ?? 5000);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 20);
const CLIENTS = Number(process.env.BENCH_CLIENTS ?? 200);
/** Of the clients, wall screens (everything); the rest are desks in one district's room each. */
const WALLS = Number(process.env.BENCH_WALLS ?? 20);
/** Prime, so each device's full uplinks come round among its others. */
const DEVICES = Number(process.env.BENCH_DEVICES ?? 2003);
/** Full uplinks in the first seconds (the platform warming up) are not measured. */
const WARMUP_S = 3;
const BASE_URL = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const FLUSH_MS = process.env.FLUSH_MS ?? '10';
/** `embedded`: ingest and the server in one process; `split`: each in its own, readings through the broker (production's shape). */
const SHAPE = process.env.BENCH_SHAPE === 'split' ? 'split' : 'embedded';

interface Sent {
  sent: [key: string, at: number][];
  seconds: number;
  cpuSeconds: number;
}
interface Measured {
  latencies: number[];
  mqttLatencies: number[];
  toWrite: number[];
  fromWrite: number[];
  missing: number;
  readingBatches: number;
  readingValues: number;
}
interface PlatformUse {
  cpuSeconds: number;
  eventLoop: number;
  rssMb: number;
  delayP99Ms: number;
  delayMaxMs: number;
}

/**
 * From a sensor's uplink to the wall: bin sensors publish at a steady RATE uplinks/s, 1 % of
 * them over the bin-full threshold, each on a bin of the demo city, to a private Mosquitto; the platform (ingest and server in
 * one process) on the machine's PostgreSQL stores them, runs the shipped rules and streams each
 * alarm to CLIENTS socket.io clients. Measured: from the uplink's publish to the alarm event at
 * each client. Baseline in the same run: the same uplinks from publish to a plain MQTT subscriber.
 */
export async function benchAlarms(): Promise<BenchResult> {
  const broker = await startThrowawayMosquitto();
  const scratch = await createScratchDatabase(BASE_URL);
  const applicationId = 'bench-alarms';
  const spoolDir = await mkdtemp(join(tmpdir(), 'city-bench-alarms-'));
  const children: ReturnType<typeof fork>[] = [];
  const child = (file: string, args: string[], env: Record<string, string> = {}) => {
    const c = fork(new URL(file, import.meta.url), args, {
      execArgv: ['--import', 'tsx'],
      env: { ...process.env, ...env },
    });
    children.push(c);
    return c;
  };
  try {
    const db = openPostgres(scratch.url);
    await migrate(db);
    await migrateTwin(db);
    await seedReferenceData(db);
    // The demo city's objects; each bench sensor is on one of its bins (zero-touch, by its `object` tag).
    const collection = toGeoJSON(demoCity(2026));
    const imported = await importObjects(db, { format: 'geojson', collection }, { mode: 'all-or-nothing' });
    if (!imported.written) throw new Error('the demo city was not imported');
    const bins = collection.features
      .filter((f) => f.properties?.type === 'bin')
      .map((f) => f.properties?.number as string)
      .slice(0, DEVICES);
    if (bins.length < DEVICES) throw new Error(`the demo city has ${bins.length} bins, fewer than ${DEVICES} sensors`);
    const roles = SHAPE === 'split' ? ['ingest', 'server'] : ['embedded'];
    const platforms = roles.map((role) =>
      child('./alarm-platform.ts', [broker.url, scratch.url, applicationId, role], {
        FLUSH_MS,
        ADOPT_PER_HOUR: String(DEVICES * 2),
        // A spool of this run's own: nothing an earlier run left is replayed into this one.
        SPOOL_DIR: spoolDir,
      }),
    );
    /** Each platform process's answer (to `message`, or its first: the port). */
    const ask = <T>(message?: 'mark' | 'report') =>
      Promise.all(
        platforms.map((p, i) => {
          if (message) p.send(message);
          return reply<T>(p, `the platform (${roles[i]})`);
        }),
      );
    const port = Math.max(...(await ask<{ port: number }>()).map((r) => r.port));
    const publisher = child('./alarm-publisher.ts', [
      broker.url,
      applicationId,
      String(RATE),
      String(SECONDS),
      String(DEVICES),
    ]);
    publisher.send({ bins });
    await reply(publisher, 'the publisher');
    // Every device registered and its first uplink stored before the measured part.
    await until(async () => {
      const { rows } = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM uplinks');
      return (rows[0]?.n ?? 0) >= DEVICES;
    }, 120_000);
    const clients = child('./alarm-clients.ts', [
      `http://127.0.0.1:${port}`,
      broker.url,
      `application/${applicationId}/device/+/event/up`,
      String(CLIENTS),
      String(WALLS),
      collection.features
        .filter((f) => f.properties?.kind === 'district')
        .map((f) => f.properties?.code as string)
        .join(','),
    ]);
    await reply(clients, 'the clients');
    await sleep(1000);

    await ask('mark');
    const cpu0 = {
      postgres: cpuSecondsOf('postgres'),
      mosquitto: cpuSeconds(broker.pid),
      clients: cpuSeconds(clients.pid),
    };
    publisher.send('go');
    const sent = await reply<Sent>(publisher, 'the publisher');
    // Stragglers: the last alarms are still on their way when the last uplink is acknowledged.
    await sleep(2000);
    const uses = await ask<PlatformUse>('report');
    const cpu = {
      postgres: cpuSecondsOf('postgres') - cpu0.postgres,
      mosquitto: cpuSeconds(broker.pid) - cpu0.mosquitto,
      clients: cpuSeconds(clients.pid) - cpu0.clients,
    };
    const firstAt = sent.sent[0]?.[1] ?? 0;
    const measured = sent.sent.filter(([, at]) => at - firstAt >= WARMUP_S * 1000);
    clients.send({ sent: measured });
    const m = await reply<Measured>(clients, 'the clients');
    const { rows } = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM uplinks');
    await db.close();

    const lat = percentiles(m.latencies);
    const base = percentiles(m.mqttLatencies);
    const toWrite = percentiles(m.toWrite);
    const fromWrite = percentiles(m.fromWrite);
    const per = (seconds: number) => `${((seconds / SECONDS) * 100).toFixed(0)}%`;
    return {
      name: 'alarms',
      command:
        'pnpm bench alarms   (BENCH_RATE, BENCH_SECONDS, BENCH_CLIENTS, BENCH_DEVICES, BENCH_SHAPE=split, FLUSH_MS, DATABASE_URL to change)',
      lines: [
        `load                   ${SHAPE === 'split' ? 'ingest and server as two processes (readings through the broker); ' : ''}${rate(RATE)} uplinks/s for ${SECONDS} s from ${DEVICES} bin sensors (sent in ${sent.seconds.toFixed(1)} s), 1% over the threshold; ${CLIENTS} socket.io clients (${WALLS} walls seeing everything, ${CLIENTS - WALLS} desks in one district's room each); ingest FLUSH_MS=${FLUSH_MS}`,
        `alarm events           ${m.latencies.length} received (${measured.length} alarms, each by the walls and its district's desks, after ${WARMUP_S} s warm-up), ${m.missing} missing; ${rows[0]?.n ?? 0} uplinks stored`,
        `publish -> client      p50 ${ms(lat.p50)}, p99 ${ms(lat.p99)}, p99.9 ${ms(lat.p999)}, max ${ms(lat.max)}`,
        `  of which             publish -> the alarm's write begins p50 ${ms(toWrite.p50)}, p99 ${ms(toWrite.p99)}; write begins -> client p50 ${ms(fromWrite.p50)}, p99 ${ms(fromWrite.p99)} (ms clocks of one machine)`,
        `baseline publish -> MQTT subscriber   p50 ${ms(base.p50)}, p99 ${ms(base.p99)}, p99.9 ${ms(base.p999)} (the broker hop alone, same uplinks, same run)`,
        `readings stream        ${m.readingBatches} batches, ${rate(m.readingValues)} values to the clients (throttled every 500 ms)`,
        `cpu (share of one core over the ${SECONDS} s)   ${uses
          .map(
            (use, i) =>
              `${SHAPE === 'split' ? roles[i] : 'platform'} ${per(use.cpuSeconds)} (event loop busy ${(use.eventLoop * 100).toFixed(0)}%, its delay p99 ${ms(use.delayP99Ms)}, max ${ms(use.delayMaxMs)}; RSS ${use.rssMb.toFixed(0)} MB)`,
          )
          .join(
            ', ',
          )}, PostgreSQL ${per(cpu.postgres)}, Mosquitto ${per(cpu.mosquitto)}, clients ${per(cpu.clients)}, publisher ${per(sent.cpuSeconds)}`,
      ],
    };
  } finally {
    for (const c of children) c.kill();
    await scratch.drop();
    await rm(spoolDir, { recursive: true, force: true });
    await broker.destroy();
  }
}

function percentiles(values: number[]) {
  const sorted = Float64Array.from(values).sort();
  const at = (q: number) =>
    sorted.length === 0 ? Number.NaN : (sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] as number);
  return {
    p50: at(0.5),
    p99: at(0.99),
    p999: at(0.999),
    max: sorted.length === 0 ? Number.NaN : (sorted[sorted.length - 1] as number),
  };
}

function ms(value: number): string {
  return `${value.toFixed(1)} ms`;
}
