import { isoTime, type Queryable } from '@city/ingest';
import type { AlarmEvent } from '../contract/alarms.ts';

/** The alarm_events table: each alarm's history (raised, severity, acknowledged, assigned, commented, escalated, cleared). */

const COLUMNS = `id::int AS id, ${isoTime('at')} AS at, kind, actor, comment, detail`;

export interface NewAlarmEvent {
  alarmId: number;
  kind: AlarmEvent['kind'];
  /** A staff member or API key; null for the rule engine. */
  actor: string | null;
  comment?: string | null;
  detail?: AlarmEvent['detail'];
}

/** Writes `events` in one statement, in order. */
export async function insertAlarmEvents(tx: Queryable, events: readonly NewAlarmEvent[]): Promise<void> {
  if (events.length === 0) return;
  await tx.query(
    `INSERT INTO alarm_events (alarm_id, kind, actor, comment, detail)
     SELECT alarm_id, kind, actor, comment, detail
       FROM unnest($1::bigint[], $2::text[], $3::text[], $4::text[], $5::jsonb[]) WITH ORDINALITY
         AS e(alarm_id, kind, actor, comment, detail, n)
      ORDER BY n`,
    [
      events.map((e) => e.alarmId),
      events.map((e) => e.kind),
      events.map((e) => e.actor),
      events.map((e) => e.comment ?? null),
      events.map((e) => (e.detail ? JSON.stringify(e.detail) : null)),
    ],
  );
}

/** The whole history, oldest first. */
export async function listAlarmEvents(db: Queryable, alarmId: number): Promise<AlarmEvent[]> {
  const { rows } = await db.query<AlarmEvent>(`SELECT ${COLUMNS} FROM alarm_events WHERE alarm_id = $1 ORDER BY id`, [
    alarmId,
  ]);
  return rows;
}
