import type { Db, Queryable } from '@city/ingest';
import { ALARM_SEVERITIES, type AlarmSeverity } from '../contract/alarms.ts';
import type { ObjectLookup } from '../objects/object-record.ts';
import type { LiveEvent } from '../stream/live-hub.ts';
import { type AfterAlarmChange, type AlarmChange, announceAlarmChanges } from './alarm-changes.ts';
import { insertAlarmEvents, type NewAlarmEvent } from './alarm-events-table.ts';
import { type AlarmHit, insertNewHits } from './alarm-hits-table.ts';
import type { AlarmSignal } from './alarm-signal.ts';
import { clearByRule, escalateSeverities, type RaiseRow, upsertRaises } from './alarms-table.ts';
import { type SignalRun, signalRounds } from './signal-rounds.ts';

export interface ApplyOptions {
  afterChange?: AfterAlarmChange | undefined;
}

/** PostgreSQL's deadlock_detected: the transaction was rolled back and may simply run again. */
const DEADLOCK = '40P01';
const ATTEMPTS = 3;

/**
 * Makes the rule engine's signals alarms, counts and clears, in one transaction: the alarms,
 * their history and the stream's log entries commit together. The database holds "one active
 * alarm per subject and type" and "each reading counts once" across processes (alarms-table,
 * alarm-hits-table). Returns the log entries for the caller to publish once this has returned.
 *
 * A batch costs a handful of statements whatever its size (one per kind per round, see
 * `signalRounds`): the ingest path sends hundreds of signals at once under load.
 */
export async function applySignals(
  db: Db,
  signals: readonly AlarmSignal[],
  objects: ObjectLookup,
  options: ApplyOptions = {},
): Promise<LiveEvent[]> {
  if (signals.length === 0) return [];
  const rounds = signalRounds(signals);
  for (let attempt = 1; ; attempt++) {
    try {
      return await db.transaction(async (tx) => {
        const changes: AlarmChange[] = [];
        const history: NewAlarmEvent[] = [];
        for (const round of rounds) {
          await applyRaises(
            tx,
            round.filter((run) => run.action === 'raise'),
            objects,
            changes,
            history,
          );
          await applyClears(
            tx,
            round.filter((run) => run.action === 'clear'),
            changes,
            history,
          );
        }
        await insertAlarmEvents(tx, history);
        return announceAlarmChanges(tx, changes, options.afterChange);
      });
    } catch (err) {
      // Two batches through two processes may take the same alarms' locks in another order (a
      // multi-round batch, or a clear's join); PostgreSQL breaks the tie and the loser retries.
      if ((err as { code?: unknown }).code !== DEADLOCK || attempt >= ATTEMPTS) throw err;
    }
  }
}

const rank = (severity: AlarmSeverity) => ALARM_SEVERITIES.indexOf(severity);
const iso = (ms: number) => new Date(ms).toISOString();

async function applyRaises(
  tx: Queryable,
  runs: readonly SignalRun[],
  objects: ObjectLookup,
  changes: AlarmChange[],
  history: NewAlarmEvent[],
): Promise<void> {
  if (runs.length === 0) return;
  const perRun = runs.map(distinctReadings);
  const hits = perRun.flatMap((signals, i) => signals.map((s) => hitOf(runs[i] as SignalRun, s)));
  const fresh = await insertNewHits(tx, hits);
  let next = 0;
  const rows: RaiseRow[] = [];
  for (const signals of perRun) {
    const counted = signals.filter(() => fresh[next++]);
    if (counted.length > 0) rows.push(raiseRow(counted, objects));
  }
  const upserted = await upsertRaises(tx, rows);
  const incoming = new Map(rows.map((r) => [`${r.subject}\u0000${r.alarmType}`, r]));
  const worse: { id: number; severity: AlarmSeverity; from: AlarmSeverity }[] = [];
  const raised = new Set<number>();
  for (const alarm of upserted) {
    const row = incoming.get(`${alarm.subject}\u0000${alarm.type}`) as RaiseRow;
    // An alarm this statement inserted counts exactly this row's readings; an existing one has more.
    if (alarm.count === row.count) raised.add(alarm.id);
    else if (rank(row.severity) < rank(alarm.severity))
      worse.push({ id: alarm.id, severity: row.severity, from: alarm.severity });
  }
  const escalated = new Map((await escalateSeverities(tx, worse)).map((a) => [a.id, a]));
  const fromSeverity = new Map(worse.map((w) => [w.id, w.from]));
  for (const upsertedAlarm of upserted) {
    const alarm = escalated.get(upsertedAlarm.id) ?? upsertedAlarm;
    if (raised.has(alarm.id)) {
      changes.push({ action: 'raised', alarm });
      history.push({ alarmId: alarm.id, kind: 'raised', actor: null });
    } else if (escalated.has(alarm.id)) {
      changes.push({ action: 'severity', alarm });
      const detail = { from: fromSeverity.get(alarm.id) as AlarmSeverity, to: alarm.severity };
      history.push({ alarmId: alarm.id, kind: 'severity', actor: null, detail });
    } else {
      changes.push({ action: 'repeated', alarm });
    }
  }
}

async function applyClears(
  tx: Queryable,
  runs: readonly SignalRun[],
  changes: AlarmChange[],
  history: NewAlarmEvent[],
): Promise<void> {
  if (runs.length === 0) return;
  const cleared = await clearByRule(
    tx,
    runs.map((run) => ({
      subject: run.subject,
      alarmType: run.alarmType,
      readingAt: iso(Math.max(...run.signals.map((s) => s.readingMs))),
    })),
  );
  for (const alarm of cleared) {
    changes.push({ action: 'cleared', alarm });
    history.push({ alarmId: alarm.id, kind: 'cleared', actor: null });
  }
}

/** A run's signals, one per device reading (the same reading twice in a batch is one hit). */
function distinctReadings(run: SignalRun): AlarmSignal[] {
  const seen = new Map<string, AlarmSignal>();
  for (const s of run.signals) seen.set(`${s.devEui} ${s.readingMs}`, s);
  return [...seen.values()];
}

function hitOf(run: SignalRun, s: AlarmSignal): AlarmHit {
  return { subject: run.subject, alarmType: run.alarmType, devEui: s.devEui, readingAt: iso(s.readingMs) };
}

/** The readings of one run that counted, as one row: the worst severity, the latest reading's value and words. */
function raiseRow(counted: readonly AlarmSignal[], objects: ObjectLookup): RaiseRow {
  let latest = counted[0] as AlarmSignal;
  let first = latest.readingMs;
  let worst = latest.rule.severity;
  for (const s of counted) {
    if (s.readingMs >= latest.readingMs) latest = s;
    first = Math.min(first, s.readingMs);
    if (rank(s.rule.severity) < rank(worst)) worst = s.rule.severity;
  }
  const object = latest.objectNumber === null ? undefined : objects.get(latest.objectNumber);
  return {
    subject: latest.subject,
    alarmType: latest.rule.alarmType,
    ruleId: latest.rule.id,
    severity: worst,
    objectNumber: latest.objectNumber,
    objectType: object?.type ?? null,
    district: object?.district ?? null,
    utility: object?.ownerUtility ?? null,
    lat: object?.lat ?? null,
    lon: object?.lon ?? null,
    devEui: latest.devEui,
    message: latest.message,
    value: latest.value,
    count: counted.length,
    firstReadingAt: iso(first),
    lastReadingAt: iso(latest.readingMs),
  };
}
