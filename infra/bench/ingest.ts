import { fork } from 'node:child_process';
import { once } from 'node:events';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { INGEST_SETTINGS, type IngestService, loadSettings, openPostgres, startIngestService } from '@city/ingest';
import pg from 'pg';
import { from as copyFrom, to as copyTo } from 'pg-copy-streams';
import { pino } from 'pino';
import { createScratchDatabase } from '../test/support/engines.ts';
import { startThrowawayMosquitto, type ThrowawayMosquitto } from '../test/support/throwaway-mosquitto.ts';
import { reply, until } from './child.ts';
import { cpuSeconds, cpuSecondsOf } from './cpu.ts';
import { type BenchResult, rate } from './report.ts';

const UPLINKS = Number(process.env.BENCH_UPLINKS ?? 200_000);
const DEVICES = Number(process.env.BENCH_DEVICES ?? 10_000);
const BASE_URL = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

/**
 * Ingest end to end on real engines: a private Mosquitto (configured as infra/deploy's, no queue
 * limit) and the machine's PostgreSQL. A separate process publishes N pre-encoded ChirpStack
 * uplinks at QoS 1. Two runs, each into a fresh database:
 * - live: ingest is subscribed while the publisher runs; timed from the first publish until the
 *   last row is committed. On two cores the publisher itself takes a large share of the CPU.
 * - drain: the N uplinks are queued in ingest's persistent session while it is away, then
 *   ingest starts and is timed until the last row is committed: ingest and the broker alone.
 * Baseline, in the same run: raw COPY of exactly the rows ingest wrote into empty keyed tables.
 */
export async function benchIngest(): Promise<BenchResult> {
  const broker = await startThrowawayMosquitto();
  try {
    const live = await run(broker, 'live');
    const drain = await run(broker, 'drain');
    const copy = live.copy as CopyFigures;
    const micros = (seconds: number) => `${((seconds / UPLINKS) * 1e6).toFixed(0)} µs`;
    const lines = [live, drain].flatMap((r) => [
      `${r.mode.padEnd(6)} uplinks   ${r.uplinks} committed (dead letters ${r.dead}) in ${r.seconds.toFixed(1)} s; all received after ${r.receivedSeconds.toFixed(1)} s${r.published ? `, published after ${r.published.toFixed(1)} s` : ''}`,
      `${r.mode.padEnd(6)} sustained ${rate(r.uplinks / r.seconds)} uplinks/s, ${rate(r.rows / r.seconds)} rows/s (uplinks + ${r.rows - r.uplinks} readings); ratio to COPY ${(r.rows / r.seconds / copy.rowsPerS).toFixed(2)}`,
      `${r.mode.padEnd(6)} batches   ${r.batches.count} commits, mean ${r.batches.mean.toFixed(0)} frames, mean ${(r.writes.mean * 1000).toFixed(0)} ms (writers busy ${((r.writes.sum / r.seconds) * 100).toFixed(0)}% of the time)`,
      `${r.mode.padEnd(6)} cpu       per uplink: ingest ${micros(r.cpu.ingest)} (event loop busy ${(r.cpu.eventLoop * 100).toFixed(0)}%), PostgreSQL ${micros(r.cpu.postgres)}, Mosquitto ${micros(r.cpu.mosquitto)}${r.cpu.publisher === undefined ? '' : `, publisher ${micros(r.cpu.publisher)}`}`,
    ]);
    return {
      name: 'ingest',
      command: 'pnpm bench ingest   (BENCH_UPLINKS, BENCH_DEVICES, DATABASE_URL, WRITERS, BATCH_SIZE to change)',
      lines: [
        `load                   ${UPLINKS} uplinks from ${DEVICES} devices of the demo city's model mix, ChirpStack JSON ~${live.avgBytes} B`,
        ...lines,
        `baseline COPY          ${rate(copy.rowsPerS)} rows/s (the live run's ${copy.rows} rows into empty keyed tables)`,
        `write strategies       per 8,000-row batch with its key: unnest INSERT ${rate(copy.unnestRowsPerS)} rows/s, COPY ${rate(copy.directRowsPerS)} rows/s, COPY to temp + INSERT ${rate(copy.stagedRowsPerS)} rows/s`,
      ],
    };
  } finally {
    await broker.destroy();
  }
}

interface RunFigures {
  mode: 'live' | 'drain';
  avgBytes: number;
  published: number | undefined;
  /** Until ingest had received the last frame. */
  receivedSeconds: number;
  seconds: number;
  uplinks: number;
  rows: number;
  dead: number;
  batches: { count: number; sum: number; mean: number };
  writes: { count: number; sum: number; mean: number };
  /** Measured once, on the live run's rows. */
  copy: CopyFigures | undefined;
  /** CPU seconds each process used during the run; the event loop's busy share of ingest's thread. */
  cpu: { ingest: number; eventLoop: number; postgres: number; mosquitto: number; publisher: number | undefined };
}

async function run(broker: ThrowawayMosquitto, mode: 'live' | 'drain'): Promise<RunFigures> {
  const brokerUrl = broker.url;
  const scratch = await createScratchDatabase(BASE_URL);
  const applicationId = `bench-${mode}`;
  const config = loadSettings(INGEST_SETTINGS, process.env, {
    eventTopic: `application/${applicationId}/device/+/event/+`,
    ttsTopic: '',
    mqttClientId: `bench-ingest-${mode}`,
    spoolDir: process.env.SPOOL_DIR ?? join(tmpdir(), 'city-bench-spool'),
  });
  const publisher = fork(
    new URL('./publisher.ts', import.meta.url),
    [brokerUrl, applicationId, String(UPLINKS), String(DEVICES)],
    { execArgv: ['--import', 'tsx'] },
  );
  const ready = await reply<{ avgBytes: number }>(publisher);
  // A database pool per start: a service's close() ends its own.
  const start = () =>
    startIngestService(config, {
      log: pino({ level: 'warn' }),
      mqttUrl: brokerUrl,
      protocolVersion: 5,
      db: openPostgres(scratch.url),
    });
  let service: IngestService | undefined;
  try {
    let started: number;
    let published: { seconds: number; cpuSeconds: number } | undefined;
    const before = () => ({
      ingest: process.cpuUsage(),
      eventLoop: performance.eventLoopUtilization(),
      postgres: cpuSecondsOf('postgres'),
      mosquitto: cpuSeconds(broker.pid),
    });
    let cpu0: ReturnType<typeof before>;
    if (mode === 'live') {
      service = await start();
      await until(() => service?.mqtt?.connected ?? false);
      cpu0 = before();
      started = performance.now();
      publisher.send('go');
      published = await reply<{ seconds: number; cpuSeconds: number }>(publisher);
    } else {
      // Open the persistent session, leave, let the backlog queue up in the broker, come back.
      const first = await start();
      await until(() => first.mqtt?.connected ?? false);
      await sleep(300);
      await first.close();
      publisher.send('go');
      await reply(publisher);
      cpu0 = before();
      started = performance.now();
      service = await start();
    }
    const metrics = service.ingest.metrics;
    const value = async (c: { get(): Promise<{ values: { value: number }[] }> }) =>
      (await c.get()).values[0]?.value ?? 0;
    // When the last frame arrived versus when the last row was committed: which side limits.
    let received: number | undefined;
    await until(async () => {
      if (received === undefined && (await value(metrics.framesIn)) >= UPLINKS) received = performance.now();
      return (await value(metrics.uplinks)) + (await value(metrics.deadLettered)) >= UPLINKS;
    }, 600_000);
    const seconds = (performance.now() - started) / 1000;
    const ingestCpu = process.cpuUsage(cpu0.ingest);
    const cpu = {
      ingest: (ingestCpu.user + ingestCpu.system) / 1e6,
      eventLoop: performance.eventLoopUtilization(cpu0.eventLoop).utilization,
      postgres: cpuSecondsOf('postgres') - cpu0.postgres,
      mosquitto: cpuSeconds(broker.pid) - cpu0.mosquitto,
      publisher: published?.cpuSeconds,
    };
    const uplinks = await value(metrics.uplinks);
    return {
      mode,
      avgBytes: ready.avgBytes,
      published: published?.seconds,
      receivedSeconds: ((received ?? performance.now()) - started) / 1000,
      seconds,
      uplinks,
      rows: uplinks + (await value(metrics.readings)),
      dead: await value(metrics.deadLettered),
      batches: await histogramMean(metrics.batchSize),
      writes: await histogramMean(metrics.batchLatency),
      copy: mode === 'live' ? await copyBaseline(scratch.url) : undefined,
      cpu,
    };
  } finally {
    publisher.kill();
    await service?.close();
    await scratch.drop();
  }
}

interface CopyFigures {
  rows: number;
  rowsPerS: number;
  unnestRowsPerS: number;
  directRowsPerS: number;
  stagedRowsPerS: number;
}

async function copyBaseline(url: string): Promise<CopyFigures> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const tables = ['readings', 'uplinks'];
    const dumps = new Map<string, Buffer>();
    for (const t of tables) {
      const chunks: Buffer[] = [];
      const out = client.query(copyTo(`COPY ${t} TO STDOUT`));
      for await (const chunk of out) chunks.push(chunk as Buffer);
      dumps.set(t, Buffer.concat(chunks));
      await client.query(`CREATE TABLE copy_${t} (LIKE ${t} INCLUDING ALL)`);
    }
    const { rows: counted } = await client.query<{ n: number }>(
      'SELECT (SELECT count(*) FROM readings) + (SELECT count(*) FROM uplinks) AS n',
    );
    const started = performance.now();
    for (const t of tables) {
      const stream = client.query(copyFrom(`COPY copy_${t} FROM STDIN`));
      stream.end(dumps.get(t));
      await once(stream, 'finish');
    }
    const seconds = (performance.now() - started) / 1000;
    const rows = Number(counted[0]?.n ?? 0);
    const strategies = await writeStrategies(client);
    return { rows, rowsPerS: rows / seconds, ...strategies };
  } finally {
    await client.end();
  }
}

/** The two ways to write an idempotent batch, on the same readings, each into an empty keyed table. */
async function writeStrategies(
  client: pg.Client,
): Promise<{ unnestRowsPerS: number; directRowsPerS: number; stagedRowsPerS: number }> {
  const { rows } = await client.query<{ t: number; e: string; o: string | null; m: string; v: number }>(
    'SELECT (extract(epoch FROM time) * 1000)::float8 AS t, dev_eui AS e, object_number AS o, metric AS m, value AS v FROM readings LIMIT 400000',
  );
  const batches: (typeof rows)[] = [];
  for (let i = 0; i < rows.length; i += 8000) batches.push(rows.slice(i, i + 8000));

  await client.query('CREATE TABLE s_unnest (LIKE readings INCLUDING ALL)');
  let started = performance.now();
  for (const b of batches) {
    await client.query(
      `INSERT INTO s_unnest SELECT to_timestamp(t / 1000.0), e, o, m, v
         FROM unnest($1::float8[], $2::text[], $3::text[], $4::text[], $5::float8[]) AS x(t, e, o, m, v)
       ON CONFLICT DO NOTHING`,
      [b.map((r) => r.t), b.map((r) => r.e), b.map((r) => r.o), b.map((r) => r.m), b.map((r) => r.v)],
    );
  }
  const unnestRowsPerS = rows.length / ((performance.now() - started) / 1000);

  const tsv = (b: typeof rows) => b.map((r) => `${r.t}\t${r.e}\t${r.o ?? '\\N'}\t${r.m}\t${r.v}\n`).join('');
  const copyInto = async (sql: string, data: string) => {
    const stream = client.query(copyFrom(sql));
    stream.end(data);
    await once(stream, 'finish');
  };

  // What ingest does: COPY straight into the keyed table, in a savepoint for the replay fallback.
  await client.query('CREATE TABLE s_direct (LIKE readings INCLUDING ALL)');
  started = performance.now();
  for (const b of batches) {
    await client.query('BEGIN');
    await client.query('SAVEPOINT batch_copy');
    await copyInto(
      'COPY s_direct (time, dev_eui, object_number, metric, value) FROM STDIN',
      b.map((r) => `${new Date(r.t).toISOString()}\t${r.e}\t${r.o ?? '\\N'}\t${r.m}\t${r.v}\n`).join(''),
    );
    await client.query('RELEASE SAVEPOINT batch_copy');
    await client.query('COMMIT');
  }
  const directRowsPerS = rows.length / ((performance.now() - started) / 1000);

  await client.query('CREATE TABLE s_staged (LIKE readings INCLUDING ALL)');
  started = performance.now();
  for (const b of batches) {
    await client.query('BEGIN');
    await client.query('CREATE TEMP TABLE stage (t float8, e text, o text, m text, v float8) ON COMMIT DROP');
    await copyInto('COPY stage FROM STDIN', tsv(b));
    await client.query(
      'INSERT INTO s_staged SELECT to_timestamp(t / 1000.0), e, o, m, v FROM stage ON CONFLICT DO NOTHING',
    );
    await client.query('COMMIT');
  }
  const stagedRowsPerS = rows.length / ((performance.now() - started) / 1000);
  return { unnestRowsPerS, directRowsPerS, stagedRowsPerS };
}

async function histogramMean(h: { get(): Promise<{ values: { metricName?: string; value: number }[] }> }) {
  const { values } = await h.get();
  const sum = values.find((v) => v.metricName?.endsWith('_sum'))?.value ?? 0;
  const count = values.find((v) => v.metricName?.endsWith('_count'))?.value ?? 0;
  return { sum, count, mean: count > 0 ? sum / count : 0 };
}
