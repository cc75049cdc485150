import type { Queryable } from '@city/ingest';
import type { AlarmRule } from '../../contract/alarm-rules.ts';
import type { AlarmSignal } from '../alarm-signal.ts';
import { recentReadings } from './recent-readings.ts';
import type { ActiveRuleAlarm, RuleEngine } from './rule-engine.ts';

/**
 * The alarms the rules raised that are still active: what the engine's raised states were.
 * (A read of the alarm store's table, kept to the four facts the engine needs.)
 */
export async function activeRuleAlarms(db: Queryable): Promise<ActiveRuleAlarm[]> {
  const { rows } = await db.query<ActiveRuleAlarm>(
    `SELECT rule_id AS "ruleId", subject, object_number AS "objectNumber", dev_eui AS "devEui",
            (extract(epoch FROM last_reading_at) * 1000)::float8 AS "lastReadingMs"
       FROM alarms WHERE active AND rule_id IS NOT NULL AND dev_eui IS NOT NULL`,
  );
  return rows;
}

/**
 * Rebuilds a new engine's state after a start, from the database: the rules' active alarms and
 * the recent readings replayed. `rules` are those the engine runs (`setRules` first). Returns
 * the signals of the replay, for the alarm store (see `RuleEngine.restore`).
 */
export async function restoreRuleEngine(
  db: Queryable,
  engine: RuleEngine,
  rules: readonly AlarmRule[],
  nowMs: number,
): Promise<readonly AlarmSignal[]> {
  const [active, readings] = await Promise.all([activeRuleAlarms(db), recentReadings(db, rules, nowMs)]);
  return engine.restore(active, readings);
}
