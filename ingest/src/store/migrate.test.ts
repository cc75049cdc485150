import { afterAll, describe, expect, it } from 'vitest';
import { openPglite } from './db.ts';
import { migrate } from './migrate.ts';

describe('migrate on embedded PGlite (TimescaleDB build)', async () => {
  const db = await openPglite();
  afterAll(() => db.close());

  it('creates hypertables, compression and the hourly aggregate, once', async () => {
    const first = await migrate(db, { retentionDays: 30 });
    expect(first).toEqual(['001_core.sql', '002_timeseries.timescale.sql']);
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
