import { isoTime, type Queryable } from '@city/ingest';
import type { AlarmRule, AlarmRulePatch, AlarmRuleTarget } from '../../contract/alarm-rules.ts';
import type { RuleParams } from './check-rule-params.ts';

/** The alarm_rules table: its columns, its row format (the contract's `AlarmRule`) and its queries. */

const COLUMNS = `id, name, alarm_type AS "alarmType", severity, kind, target, params, enabled, builtin,
  ${isoTime('updated_at')} AS "updatedAt", updated_by AS "updatedBy"`;

/** A rule to write: checked (`checkRuleParams`) and with its defaults filled in. */
export interface AlarmRuleRow {
  id: string;
  name: string;
  alarmType: string;
  severity: AlarmRule['severity'];
  kind: AlarmRule['kind'];
  target: AlarmRuleTarget;
  params: RuleParams;
  enabled: boolean;
}

/** Every rule, by id. The row's kind decides its params' shape, which the writes below check. */
export async function listAlarmRules(db: Queryable): Promise<AlarmRule[]> {
  const { rows } = await db.query<AlarmRule>(`SELECT ${COLUMNS} FROM alarm_rules ORDER BY id`);
  return rows;
}

export async function getAlarmRule(db: Queryable, id: string): Promise<AlarmRule | undefined> {
  const { rows } = await db.query<AlarmRule>(`SELECT ${COLUMNS} FROM alarm_rules WHERE id = $1`, [id]);
  return rows[0];
}

/** A staff member's new rule; undefined when the id is taken. */
export async function insertAlarmRule(
  db: Queryable,
  rule: AlarmRuleRow,
  actor: string,
): Promise<AlarmRule | undefined> {
  const { rows } = await db.query<AlarmRule>(
    `INSERT INTO alarm_rules (id, name, alarm_type, severity, kind, target, params, enabled, builtin, updated_by)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, false, $9)
     ON CONFLICT (id) DO NOTHING RETURNING ${COLUMNS}`,
    [
      rule.id,
      rule.name,
      rule.alarmType,
      rule.severity,
      rule.kind,
      JSON.stringify(rule.target),
      JSON.stringify(rule.params),
      rule.enabled,
      actor,
    ],
  );
  return rows[0];
}

/** Adds the shipped rules not in the table yet; a rule the city changed is left as it is. Returns how many were added. */
export async function insertBuiltinRulesIfAbsent(db: Queryable, rules: readonly AlarmRuleRow[]): Promise<number> {
  if (rules.length === 0) return 0;
  const { rows } = await db.query(
    `INSERT INTO alarm_rules (id, name, alarm_type, severity, kind, target, params, enabled, builtin)
     SELECT *, true FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::jsonb[], $7::jsonb[], $8::boolean[])
     ON CONFLICT (id) DO NOTHING RETURNING id`,
    [
      rules.map((r) => r.id),
      rules.map((r) => r.name),
      rules.map((r) => r.alarmType),
      rules.map((r) => r.severity),
      rules.map((r) => r.kind),
      rules.map((r) => JSON.stringify(r.target)),
      rules.map((r) => JSON.stringify(r.params)),
      rules.map((r) => r.enabled),
    ],
  );
  return rows.length;
}

/** Changes what `patch` names (params already checked against the rule's kind); undefined when there is no such rule. */
export async function updateAlarmRule(
  db: Queryable,
  id: string,
  patch: Omit<AlarmRulePatch, 'params'> & { params?: RuleParams | undefined },
  actor: string,
): Promise<AlarmRule | undefined> {
  const { rows } = await db.query<AlarmRule>(
    `UPDATE alarm_rules SET name = COALESCE($2, name), alarm_type = COALESCE($3, alarm_type),
        severity = COALESCE($4, severity), target = COALESCE($5::jsonb, target), params = COALESCE($6::jsonb, params),
        enabled = COALESCE($7, enabled), updated_at = now(), updated_by = $8
      WHERE id = $1 RETURNING ${COLUMNS}`,
    [
      id,
      patch.name ?? null,
      patch.alarmType ?? null,
      patch.severity ?? null,
      patch.target === undefined ? null : JSON.stringify(patch.target),
      patch.params === undefined ? null : JSON.stringify(patch.params),
      patch.enabled ?? null,
      actor,
    ],
  );
  return rows[0];
}

/** Deletes a staff member's rule: `builtin` when the rule is shipped (it may only be disabled), `missing` when there is none. */
export async function deleteAlarmRule(db: Queryable, id: string): Promise<'deleted' | 'builtin' | 'missing'> {
  const deleted = await db.query('DELETE FROM alarm_rules WHERE id = $1 AND NOT builtin RETURNING id', [id]);
  if (deleted.rows.length > 0) return 'deleted';
  return (await getAlarmRule(db, id)) ? 'builtin' : 'missing';
}

/**
 * What changes when any rule is added, changed or deleted: the count and the latest change. A
 * process that polls it reads the rules again only when it moves.
 */
export async function alarmRulesVersion(db: Queryable): Promise<string> {
  const { rows } = await db.query<{ version: string }>(
    `SELECT count(*) || '@' || COALESCE(${isoTime('max(updated_at)')}, '') AS version FROM alarm_rules`,
  );
  return rows[0]?.version ?? '';
}
