import { isoTime, type Queryable } from '@city/ingest';
import type { Alarm, AlarmSeverity } from '../contract/alarms.ts';

/** The alarms table: its columns, its row format (the contract's `Alarm`) and its queries. */

const COLUMNS = `id::int AS id, alarm_type AS type, severity,
  CASE WHEN active THEN 'active' ELSE 'cleared' END AS status, acknowledged, subject,
  object_number AS "objectNumber", object_type AS "objectType", district, utility, dev_eui AS "devEui",
  lat, lon, rule_id AS "ruleId", message, value, count, ${isoTime('raised_at')} AS "raisedAt",
  ${isoTime('first_reading_at')} AS "firstReadingAt", ${isoTime('last_reading_at')} AS "lastReadingAt",
  ${isoTime('updated_at')} AS "updatedAt", ${isoTime('acknowledged_at')} AS "acknowledgedAt",
  acknowledged_by AS "acknowledgedBy", ${isoTime('cleared_at')} AS "clearedAt", cleared_by AS "clearedBy",
  assignee, ${isoTime('escalated_at')} AS "escalatedAt", outage_id::int AS "outageId"`;

/** Readings of one subject and type that met a rule, folded into one row to raise or count. */
export interface RaiseRow {
  subject: string;
  alarmType: string;
  ruleId: string;
  /** The worst severity among the readings (an existing alarm takes it only if it is worse: `escalateSeverities`). */
  severity: AlarmSeverity;
  objectNumber: string | null;
  objectType: string | null;
  district: string | null;
  utility: string | null;
  lat: number | null;
  lon: number | null;
  /** Of the latest reading. */
  devEui: string;
  message: string;
  value: number | null;
  /** Readings that counted (new hits). */
  count: number;
  firstReadingAt: string;
  lastReadingAt: string;
}

/**
 * Raises each row's alarm or counts it on the active one. The partial unique index on active
 * alarms decides between concurrent transactions, in any number of processes: one inserts, the
 * others wait for it and update the row it inserted. Rows go in (subject, type) order, so
 * transactions that touch several alarms lock them in the same order and never deadlock.
 * An update keeps the alarm's severity, and takes the value, device and message of its latest
 * reading only (a late, older reading counts but does not overwrite them). A row whose returned
 * count equals its own was inserted.
 */
export async function upsertRaises(tx: Queryable, rows: readonly RaiseRow[]): Promise<Alarm[]> {
  if (rows.length === 0) return [];
  const col = <K extends keyof RaiseRow>(key: K) => rows.map((r) => r[key]);
  const { rows: alarms } = await tx.query<Alarm>(
    `INSERT INTO alarms AS a (subject, alarm_type, rule_id, severity, object_number, object_type, district, utility,
        lat, lon, dev_eui, message, value, count, first_reading_at, last_reading_at)
     SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[],
        $8::text[], $9::float8[], $10::float8[], $11::text[], $12::text[], $13::float8[], $14::int[],
        $15::timestamptz[], $16::timestamptz[])
     ORDER BY 1, 2
     ON CONFLICT (subject, alarm_type) WHERE active DO UPDATE SET
       count = a.count + EXCLUDED.count,
       first_reading_at = LEAST(a.first_reading_at, EXCLUDED.first_reading_at),
       last_reading_at = GREATEST(a.last_reading_at, EXCLUDED.last_reading_at),
       rule_id = CASE WHEN EXCLUDED.last_reading_at >= a.last_reading_at THEN EXCLUDED.rule_id ELSE a.rule_id END,
       dev_eui = CASE WHEN EXCLUDED.last_reading_at >= a.last_reading_at THEN EXCLUDED.dev_eui ELSE a.dev_eui END,
       message = CASE WHEN EXCLUDED.last_reading_at >= a.last_reading_at THEN EXCLUDED.message ELSE a.message END,
       value = CASE WHEN EXCLUDED.last_reading_at >= a.last_reading_at THEN EXCLUDED.value ELSE a.value END,
       updated_at = now()
     RETURNING ${COLUMNS}`,
    [
      col('subject'),
      col('alarmType'),
      col('ruleId'),
      col('severity'),
      col('objectNumber'),
      col('objectType'),
      col('district'),
      col('utility'),
      col('lat'),
      col('lon'),
      col('devEui'),
      col('message'),
      col('value'),
      col('count'),
      col('firstReadingAt'),
      col('lastReadingAt'),
    ],
  );
  return alarms;
}

/** Sets the severity of alarms this transaction holds (it just raised or counted them). */
export async function escalateSeverities(
  tx: Queryable,
  changes: readonly { id: number; severity: AlarmSeverity }[],
): Promise<Alarm[]> {
  if (changes.length === 0) return [];
  const { rows } = await tx.query<Alarm>(
    `UPDATE alarms SET severity = c.to_severity, updated_at = now()
       FROM unnest($1::bigint[], $2::text[]) AS c(alarm_id, to_severity)
      WHERE alarms.id = c.alarm_id
      RETURNING ${COLUMNS}`,
    [changes.map((c) => c.id), changes.map((c) => c.severity)],
  );
  return rows;
}

/**
 * Clears the active alarm of each subject and type whose latest counted reading is older than
 * the reading that cleared it: an older reading arriving late cannot clear a newer raise.
 */
export async function clearByRule(
  tx: Queryable,
  clears: readonly { subject: string; alarmType: string; readingAt: string }[],
): Promise<Alarm[]> {
  if (clears.length === 0) return [];
  const { rows } = await tx.query<Alarm>(
    `UPDATE alarms SET active = false, cleared_at = now(), cleared_by = 'rule', updated_at = now()
       FROM unnest($1::text[], $2::text[], $3::timestamptz[]) AS c(clear_subject, clear_type, clear_reading_at)
      WHERE alarms.active AND alarms.subject = c.clear_subject AND alarms.alarm_type = c.clear_type
        AND alarms.last_reading_at < c.clear_reading_at
      RETURNING ${COLUMNS}`,
    [clears.map((c) => c.subject), clears.map((c) => c.alarmType), clears.map((c) => c.readingAt)],
  );
  return rows;
}

export async function getAlarm(db: Queryable, id: number): Promise<Alarm | undefined> {
  const { rows } = await db.query<Alarm>(`SELECT ${COLUMNS} FROM alarms WHERE id = $1`, [id]);
  return rows[0];
}

/** An alarm's state and owner, locked until the transaction ends: staff actions on one alarm go one at a time. */
export async function lockAlarm(
  tx: Queryable,
  id: number,
): Promise<{ id: number; active: boolean; acknowledged: boolean; utility: string | null } | undefined> {
  const { rows } = await tx.query<{ id: number; active: boolean; acknowledged: boolean; utility: string | null }>(
    'SELECT id::int AS id, active, acknowledged, utility FROM alarms WHERE id = $1 FOR UPDATE',
    [id],
  );
  return rows[0];
}

export async function acknowledgeAlarm(tx: Queryable, id: number, by: string | null): Promise<Alarm> {
  return updateOne(
    tx,
    'acknowledged = true, acknowledged_at = now(), acknowledged_by = $2, updated_at = now()',
    id,
    by,
  );
}

export async function clearAlarmBy(tx: Queryable, id: number, by: string | null): Promise<Alarm> {
  return updateOne(tx, 'active = false, cleared_at = now(), cleared_by = $2, updated_at = now()', id, by);
}

export async function assignAlarm(tx: Queryable, id: number, assignee: string | null): Promise<Alarm> {
  return updateOne(tx, 'assignee = $2, updated_at = now()', id, assignee);
}

/** Touches an alarm's change time (a comment). */
export async function touchAlarm(tx: Queryable, id: number): Promise<Alarm> {
  return updateOne(tx, 'updated_at = now()', id);
}

async function updateOne(tx: Queryable, set: string, id: number, ...params: unknown[]): Promise<Alarm> {
  const { rows } = await tx.query<Alarm>(`UPDATE alarms SET ${set} WHERE id = $1 RETURNING ${COLUMNS}`, [
    id,
    ...params,
  ]);
  const row = rows[0];
  if (!row) throw new Error(`alarm ${id} vanished while locked`);
  return row;
}

export interface AlarmFilter {
  active?: boolean | undefined;
  acknowledged?: boolean | undefined;
  severity?: AlarmSeverity | undefined;
  type?: string | undefined;
  district?: string | undefined;
  objectNumber?: string | undefined;
  /** Only this utility's. */
  utility?: string | undefined;
  raisedSince?: string | undefined;
  /** Only alarms raised before this one in the list's order (keyset paging). */
  after?: AlarmListKey | undefined;
  limit: number;
}

/** Where an alarm stands in the list: its raise time with microseconds, and its id. */
export interface AlarmListKey {
  raisedAt: string;
  id: number;
}

/** Alarms newest first, each with its list key. */
export async function listAlarms(db: Queryable, f: AlarmFilter): Promise<{ alarm: Alarm; key: AlarmListKey }[]> {
  const { rows } = await db.query<Alarm & { listKey: string }>(
    `SELECT ${COLUMNS}, to_char(raised_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS "listKey"
       FROM alarms
      WHERE ($1::boolean IS NULL OR active = $1)
        AND ($2::boolean IS NULL OR acknowledged = $2)
        AND ($3::text IS NULL OR severity = $3)
        AND ($4::text IS NULL OR alarm_type = $4)
        AND ($5::text IS NULL OR district = $5)
        AND ($6::text IS NULL OR object_number = $6)
        AND ($7::text IS NULL OR utility = $7)
        AND ($8::timestamptz IS NULL OR raised_at >= $8)
        AND ($9::timestamptz IS NULL OR (raised_at, id) < ($9, $10::bigint))
      ORDER BY raised_at DESC, id DESC LIMIT $11`,
    [
      f.active ?? null,
      f.acknowledged ?? null,
      f.severity ?? null,
      f.type ?? null,
      f.district ?? null,
      f.objectNumber ?? null,
      f.utility ?? null,
      f.raisedSince ?? null,
      f.after?.raisedAt ?? null,
      f.after?.id ?? null,
      f.limit,
    ],
  );
  return rows.map(({ listKey, ...alarm }) => ({ alarm, key: { raisedAt: listKey, id: alarm.id } }));
}
