import { CODECS, type Queryable, type Reading, textArray } from '@city/ingest';
import type { AlarmRule } from '../../contract/alarm-rules.ts';

/** How far back a restart looks for each device's latest value of the other rules' metrics. */
export const LATEST_LOOKBACK_MS = 7 * 24 * 3_600_000;

/**
 * How far back a restart replays the duration rules' readings: twice the longest duration, so
 * that a condition that began before the longest one's start is seen beginning, as long as the
 * device reports more often than that.
 */
export function replayWindowMs(rules: readonly AlarmRule[]): number {
  let longest = 0;
  for (const rule of rules) if (rule.kind === 'duration') longest = Math.max(longest, rule.params.forMinutes);
  return 2 * longest * 60_000;
}

/**
 * The readings a restarted engine replays (over ingest's `readings` table): every reading of the
 * duration rules' metrics within their window, and each device's latest value of every other
 * rule's metric - what a threshold or flag stands at, the index a `decrease` compares with.
 * Latest values are one probe of the primary key per device and metric its model produces.
 */
export async function recentReadings(db: Queryable, rules: readonly AlarmRule[], nowMs: number): Promise<Reading[]> {
  const durationMetrics = new Set<string>();
  const latestMetrics = new Set<string>();
  for (const rule of rules) {
    if (!rule.enabled || rule.kind === 'no_data') continue;
    (rule.kind === 'duration' ? durationMetrics : latestMetrics).add(rule.params.metric);
  }
  for (const metric of durationMetrics) latestMetrics.delete(metric);
  const [windowed, latest] = await Promise.all([
    durationMetrics.size === 0 ? [] : readingsSince(db, [...durationMetrics], nowMs - replayWindowMs(rules)),
    latestMetrics.size === 0 ? [] : latestValues(db, [...latestMetrics], nowMs - LATEST_LOOKBACK_MS),
  ]);
  return [...windowed, ...latest];
}

const READING = `(extract(epoch FROM r.time) * 1000)::float8 AS "timeMs", r.dev_eui AS "devEui",
  r.object_number AS "objectNumber", r.metric, r.value`;

async function readingsSince(db: Queryable, metrics: string[], sinceMs: number): Promise<Reading[]> {
  const { rows } = await db.query<Reading>(
    `SELECT ${READING} FROM readings r WHERE r.metric = ANY($1::text[]) AND r.time >= $2 ORDER BY r.time`,
    [textArray(metrics), new Date(sinceMs)],
  );
  return rows;
}

async function latestValues(db: Queryable, metrics: string[], sinceMs: number): Promise<Reading[]> {
  // Battery also comes from status events, for every model (as the live state reads it).
  const pairs = CODECS.flatMap((codec) =>
    metrics
      .filter((m) => m === 'battery' || (codec.metrics as readonly string[]).includes(m))
      .map((metric) => ({ model: codec.model, metric })),
  );
  const { rows } = await db.query<Reading>(
    `SELECT ${READING}
       FROM devices d
       JOIN unnest($1::text[], $2::text[]) AS mm(model, metric) ON mm.model = d.model
       CROSS JOIN LATERAL (
         SELECT * FROM readings WHERE dev_eui = d.dev_eui AND metric = mm.metric AND time >= $3
          ORDER BY time DESC LIMIT 1) r`,
    [textArray(pairs.map((p) => p.model)), textArray(pairs.map((p) => p.metric)), new Date(sinceMs)],
  );
  return rows;
}
