import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openPglite } from './db.ts';
import { migrate } from './migrate.ts';

describe('migrate on embedded PGlite (TimescaleDB build)', async () => {
  const db = await openPglite();
  afterAll(() => db.close());

  it('creates hypertables, compression and the hourly aggregate, once', async () => {
    const first = await migrate(db, { retentionDays: 30 });
    expect(first).toEqual(['001_core.sql', '002_timeseries.timescale.sql', '003_dead_letter_size.sql']);
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
    expect(await migrate(db)).toEqual([]);
  });
});

describe('migrate on a reopened PGlite data directory', () => {
  it('applies nothing twice and can still set TimescaleDB policies', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'pglite-'));
    try {
      const first = await openPglite(dataDir);
      expect(await migrate(first, { retentionDays: 30 })).toHaveLength(3);
      await first.close();
      const again = await openPglite(dataDir);
      expect(await migrate(again, { retentionDays: 60 })).toEqual([]);
      const { rows } = await again.query<{ config: { drop_after: string } }>(
        "SELECT config FROM timescaledb_information.jobs WHERE proc_name = 'policy_retention'",
      );
      expect(rows[0]?.config.drop_after).toBe('60 days');
      await again.close();
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  });
});
