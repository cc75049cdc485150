import { fork } from 'node:child_process';
import { once } from 'node:events';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig, openPostgres, startIngestService } from '@city/ingest';
import pg from 'pg';
import { from as copyFrom, to as copyTo } from 'pg-copy-streams';
import { pino } from 'pino';
import { createScratchDatabase } from '../test/support/engines.ts';
import { startThrowawayMosquitto } from '../test/support/throwaway-mosquitto.ts';
import { type BenchResult, rate } from './report.ts';

const UPLINKS = Number(process.env.BENCH_UPLINKS ?? 200_000);
const DEVICES = Number(process.env.BENCH_DEVICES ?? 10_000);
const BASE_URL = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

/**
 * Ingest end to end on real engines: a private Mosquitto (configured as infra/deploy's, no queue
 * limit) and the machine's PostgreSQL. A separate process publishes N pre-encoded ChirpStack
 * uplinks at QoS 1; we time from the first publish until the last row is committed. Baseline, in
 * the same run: raw COPY of exactly the rows ingest wrote into empty tables with the same keys.
 */
export async function benchIngest(): Promise<BenchResult> {
  const broker = await startThrowawayMosquitto();
  const scratch = await createScratchDatabase(BASE_URL);
  const db = openPostgres(scratch.url);
  const applicationId = 'bench';
  const config = loadConfig(process.env, {
    eventTopic: `application/${applicationId}/device/+/event/+`,
    ttsTopic: '',
    mqttClientId: 'bench-ingest',
    spoolDir: join(tmpdir(), 'city-bench-spool'),
  });
  const service = await startIngestService(config, {
    log: pino({ level: 'warn' }),
    mqttUrl: broker.url,
    protocolVersion: 5,
    db,
  });
  try {
    await until(() => service.mqtt.connected);
    const publisher = fork(
      new URL('./publisher.ts', import.meta.url),
      [broker.url, applicationId, String(UPLINKS), String(DEVICES)],
      {
        execArgv: ['--import', 'tsx'],
      },
    );
    const [ready] = (await once(publisher, 'message')) as [{ avgBytes: number }];
    const metrics = service.ingest.metrics;
    const committed = async () => (await metrics.uplinks.get()).values[0]?.value ?? 0;
    const dead = async () => (await metrics.deadLettered.get()).values[0]?.value ?? 0;
    const started = performance.now();
    publisher.send('go');
    const [published] = (await once(publisher, 'message')) as [{ seconds: number }];
    await until(async () => (await committed()) + (await dead()) >= UPLINKS, 600_000);
    const seconds = (performance.now() - started) / 1000;
    const uplinks = await committed();
    const readings = (await metrics.readings.get()).values[0]?.value ?? 0;
    const rows = uplinks + readings;

    const batches = await histogramMean(metrics.batchSize);
    const writes = await histogramMean(metrics.batchLatency);
    const copy = await copyBaseline(scratch.url);
    const ingestRowsPerS = rows / seconds;
    return {
      name: 'ingest',
      command: 'pnpm bench ingest   (BENCH_UPLINKS, BENCH_DEVICES, DATABASE_URL to change)',
      lines: [
        `uplinks published      ${UPLINKS} (${DEVICES} devices, all models, ChirpStack JSON ~${ready.avgBytes} B) in ${published.seconds.toFixed(1)} s`,
        `uplinks committed      ${uplinks} (dead letters ${await dead()}) in ${seconds.toFixed(1)} s`,
        `sustained              ${rate(uplinks / seconds)} uplinks/s, ${rate(ingestRowsPerS)} rows/s (uplinks + ${readings} readings)`,
        `batches                ${batches.count} writes, mean ${batches.mean.toFixed(0)} frames, mean commit ${(writes.mean * 1000).toFixed(0)} ms (${((writes.sum / seconds) * 100).toFixed(0)}% of the time writing)`,
        `baseline COPY          ${rate(copy.rowsPerS)} rows/s (same ${copy.rows} rows into empty keyed tables)`,
        `ratio ingest/COPY      ${(ingestRowsPerS / copy.rowsPerS).toFixed(2)}`,
        `write strategy         unnest INSERT ${rate(copy.unnestRowsPerS)} rows/s vs COPY to temp + INSERT ${rate(copy.stagedRowsPerS)} rows/s (8,000-row batches, ON CONFLICT DO NOTHING)`,
      ],
    };
  } finally {
    await service.close();
    await broker.destroy();
    await scratch.drop();
  }
}

interface CopyFigures {
  rows: number;
  rowsPerS: number;
  unnestRowsPerS: number;
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
async function writeStrategies(client: pg.Client): Promise<{ unnestRowsPerS: number; stagedRowsPerS: number }> {
  const { rows } = await client.query<{ t: number; e: string; o: string | null; m: string; v: number }>(
    'SELECT extract(epoch FROM time) * 1000 AS t, dev_eui AS e, object_number AS o, metric AS m, value AS v FROM readings LIMIT 400000',
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

  await client.query('CREATE TABLE s_staged (LIKE readings INCLUDING ALL)');
  started = performance.now();
  for (const b of batches) {
    await client.query('BEGIN');
    await client.query('CREATE TEMP TABLE stage (t float8, e text, o text, m text, v float8) ON COMMIT DROP');
    const stream = client.query(copyFrom('COPY stage FROM STDIN'));
    stream.end(b.map((r) => `${r.t}\t${r.e}\t${r.o ?? '\\N'}\t${r.m}\t${r.v}\n`).join(''));
    await once(stream, 'finish');
    await client.query(
      'INSERT INTO s_staged SELECT to_timestamp(t / 1000.0), e, o, m, v FROM stage ON CONFLICT DO NOTHING',
    );
    await client.query('COMMIT');
  }
  const stagedRowsPerS = rows.length / ((performance.now() - started) / 1000);
  return { unnestRowsPerS, stagedRowsPerS };
}

async function histogramMean(h: { get(): Promise<{ values: { metricName?: string; value: number }[] }> }) {
  const { values } = await h.get();
  const sum = values.find((v) => v.metricName?.endsWith('_sum'))?.value ?? 0;
  const count = values.find((v) => v.metricName?.endsWith('_count'))?.value ?? 0;
  return { sum, count, mean: count > 0 ? sum / count : 0 };
}

async function until(check: () => boolean | Promise<boolean>, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('benchmark timed out');
    await new Promise((r) => setTimeout(r, 50));
  }
}
