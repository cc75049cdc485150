import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Db, migrate, openPglite, pgliteDb } from '@city/ingest';
import { PGlite } from '@electric-sql/pglite';
import { type BenchResult, rate } from './report.ts';

const ROWS = Number(process.env.BENCH_EMBEDDED_ROWS ?? 200_000);
/** Readings rows per commit: a full batch (BATCH_SIZE 2000 uplinks carry more), and a quiet city's 200 ms flush. */
const BATCH_ROWS = [2000, 50];

/**
 * What durability costs the embedded database: readings committed in COPY batches, as ingest
 * writes them, on the embedded configuration (fsync on, every fsync reaching the disk) against
 * the same PGlite as its package starts it (`-F`: fsync off, nothing flushed), in the same run.
 */
export async function benchEmbeddedDb(): Promise<BenchResult> {
  const lines: string[] = [];
  for (const batchRows of BATCH_ROWS) {
    const rows = batchRows >= 1000 ? ROWS : ROWS / 10;
    const durable = await timeCommits('durable', rows, batchRows);
    const unsafe = await timeCommits('fsync off', rows, batchRows);
    lines.push(
      `${batchRows} rows a commit, ${rate(rows)} rows: durable ${rate(durable.rowsPerS)} rows/s ` +
        `(${durable.msPerCommit.toFixed(2)} ms a commit); fsync off ${rate(unsafe.rowsPerS)} rows/s ` +
        `(${unsafe.msPerCommit.toFixed(2)} ms); durable/off ${(durable.rowsPerS / unsafe.rowsPerS).toFixed(2)}`,
    );
  }
  return {
    name: 'embedded-db',
    command: 'pnpm bench embedded-db   (BENCH_EMBEDDED_ROWS to change)',
    lines,
  };
}

async function timeCommits(kind: 'durable' | 'fsync off', rows: number, batchRows: number) {
  const dir = await mkdtemp(join(tmpdir(), 'bench-pglite-'));
  const dataDir = join(dir, 'pglite');
  let db: Db;
  if (kind === 'durable') db = await openPglite(dataDir);
  else {
    const startParams = [...PGlite.defaultStartParams, '-c', 'shared_buffers=16MB'];
    db = pgliteDb(await PGlite.create({ dataDir, startParams }));
  }
  try {
    await migrate(db);
    const base = Date.parse('2026-11-01T00:00:00Z');
    const started = performance.now();
    const commits = Math.ceil(rows / batchRows);
    for (let c = 0; c < commits; c++) {
      let text = '';
      for (let r = 0; r < batchRows; r++) {
        const n = c * batchRows + r;
        const time = new Date(base + n * 1000).toISOString();
        text += `${time}\t70b3d5${(n % 5000).toString(16).padStart(10, '0')}\t\\N\tdistance\t${n % 4000}\n`;
      }
      await db.transaction((tx) =>
        tx.copyFrom('readings (time, dev_eui, object_number, metric, value)', Buffer.from(text)),
      );
    }
    const seconds = (performance.now() - started) / 1000;
    return { rowsPerS: (commits * batchRows) / seconds, msPerCommit: (seconds * 1000) / commits };
  } finally {
    await db.close();
    await rm(dir, { recursive: true, force: true });
  }
}
