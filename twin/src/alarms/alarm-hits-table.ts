import type { Queryable } from '@city/ingest';

/**
 * The alarm_hits table: every reading that counted toward an alarm, so that a replayed uplink,
 * or one heard by two server processes, counts once.
 */

export interface AlarmHit {
  subject: string;
  alarmType: string;
  devEui: string;
  readingAt: string;
}

/**
 * Records `hits` (distinct ones) and says which were new: the others were counted before, by
 * this process or another. A hit another transaction is recording at the same moment waits for
 * it and then counts as seen.
 */
export async function insertNewHits(tx: Queryable, hits: readonly AlarmHit[]): Promise<boolean[]> {
  if (hits.length === 0) return [];
  const { rows } = await tx.query<{ n: number }>(
    `WITH h AS (
       SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::timestamptz[]) WITH ORDINALITY
         AS h(subject, alarm_type, dev_eui, reading_at, n)
     ), inserted AS (
       INSERT INTO alarm_hits (subject, alarm_type, dev_eui, reading_at)
       SELECT subject, alarm_type, dev_eui, reading_at FROM h ORDER BY 1, 2, 3, 4
       ON CONFLICT DO NOTHING
       RETURNING subject, alarm_type, dev_eui, reading_at
     )
     SELECT h.n::int AS n FROM h JOIN inserted USING (subject, alarm_type, dev_eui, reading_at)`,
    [hits.map((h) => h.subject), hits.map((h) => h.alarmType), hits.map((h) => h.devEui), hits.map((h) => h.readingAt)],
  );
  const fresh = hits.map(() => false);
  for (const { n } of rows) fresh[n - 1] = true;
  return fresh;
}

/**
 * Forgets hits recorded more than `keepHours` ago. A reading replayed after that counts again,
 * so keep them longer than any replay or spool delay (days, not minutes).
 */
export async function pruneAlarmHits(db: Queryable, keepHours: number): Promise<number> {
  const { rows } = await db.query<{ n: number }>(
    `WITH gone AS (DELETE FROM alarm_hits WHERE at < now() - $1::double precision * interval '1 hour' RETURNING 1)
     SELECT count(*)::int AS n FROM gone`,
    [keepHours],
  );
  return rows[0]?.n ?? 0;
}
