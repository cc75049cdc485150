import { spawnSync } from 'node:child_process';
import { existsSync, fsyncSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { afterEach, describe, expect, it } from 'vitest';
import { ConfigError } from '../config/settings.ts';
import { EMBEDDED_START_PARAMS, openPglite, PGLITE_PG_MAJOR } from './db.ts';
import { DurableNodeFS } from './durable-node-fs.ts';

const dirs: string[] = [];
async function newDataDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'pglite-'));
  dirs.push(dir);
  return dir;
}
afterEach(async () => {
  await Promise.all(
    dirs.splice(0).flatMap((dir) => [rm(dir, { recursive: true, force: true }), rm(`${dir}.lock`, { force: true })]),
  );
});

describe('the embedded database', () => {
  it('runs with fsync on, a small buffer cache and a capped WAL', async () => {
    const db = await openPglite(await newDataDir());
    try {
      const show = async (name: string) => (await db.query<Record<string, string>>(`SHOW ${name}`)).rows[0]?.[name];
      expect(await show('fsync')).toBe('on');
      expect(await show('wal_sync_method')).toBe('fsync');
      expect(await show('shared_buffers')).toBe('16MB');
      expect(await show('max_wal_size')).toBe('96MB');
      expect(Number(await show('server_version_num')) / 10_000).toBeCloseTo(PGLITE_PG_MAJOR, 0);
    } finally {
      await db.close();
    }
  });

  it('flushes every commit to the disk', async () => {
    let flushes = 0;
    const fs = new DurableNodeFS(await newDataDir(), (fd) => {
      flushes++;
      fsyncSync(fd);
    });
    const lite = await PGlite.create({ fs, startParams: EMBEDDED_START_PARAMS });
    try {
      await lite.exec('CREATE TABLE t (i int)');
      const before = flushes;
      for (let i = 0; i < 10; i++) await lite.query('INSERT INTO t VALUES ($1)', [i]);
      expect(flushes - before).toBeGreaterThanOrEqual(10);
    } finally {
      await lite.close();
    }
  });

  it('lets one process at a time open a data directory, and takes over the lock of a process gone', async () => {
    const dataDir = await newDataDir();
    const first = await openPglite(dataDir);
    // Another process holds it: this one's parent stands in for it.
    await first.close();
    await writeFile(`${dataDir}.lock`, `${process.ppid}\n`);
    const refused = openPglite(dataDir);
    await expect(refused).rejects.toBeInstanceOf(ConfigError);
    await expect(refused).rejects.toThrow(`${dataDir} is in use by process ${process.ppid}`);
    // A lock left by a process that is gone (kill -9) is taken over, and released on close.
    const gone = spawnSync(process.execPath, ['-e', '0']).pid;
    await writeFile(`${dataDir}.lock`, `${gone}\n`);
    const again = await openPglite(dataDir);
    expect(await readFile(`${dataDir}.lock`, 'utf8')).toBe(`${process.pid}\n`);
    await again.close();
    expect(existsSync(`${dataDir}.lock`)).toBe(false);
  });

  it("refuses another PostgreSQL major's data directory and says what to do", async () => {
    const dataDir = await newDataDir();
    await writeFile(join(dataDir, 'PG_VERSION'), '17\n');
    const opening = openPglite(dataDir);
    await expect(opening).rejects.toBeInstanceOf(ConfigError);
    await expect(opening).rejects.toThrow(`holds a PostgreSQL 17 database`);
    await expect(opening).rejects.toThrow(`mv ${dataDir} ${dataDir}-pg17`);
  });
});
