import { readFile } from 'node:fs/promises';
import type { Queryable } from '@city/ingest';
import { Type } from 'typebox';
import { Value } from 'typebox/value';
import { NewAlarmRule } from '../../contract/alarm-rules.ts';
import { type AlarmRuleRow, insertBuiltinRulesIfAbsent } from './alarm-rules-table.ts';
import { checkRuleParams } from './check-rule-params.ts';

/** The shipped rules, beside src/ and dist/ alike. */
const FILE = new URL('../../../reference-data/alarm-rules.json', import.meta.url);

const SeedFile = Type.Object({ rules: Type.Array(NewAlarmRule) });

/** The shipped rules, checked as the API checks a new rule; a bad file throws, naming the rule and the field. */
export async function readBuiltinRules(): Promise<AlarmRuleRow[]> {
  const parsed: unknown = JSON.parse(await readFile(FILE, 'utf8'));
  if (!Value.Check(SeedFile, parsed)) {
    const [first] = Value.Errors(SeedFile, parsed);
    throw new Error(`${FILE.pathname}: ${first?.instancePath ?? ''} ${first?.message ?? 'does not match its schema'}`);
  }
  const seen = new Set<string>();
  return parsed.rules.map((rule) => {
    if (seen.has(rule.id)) throw new Error(`${FILE.pathname}: rule ${rule.id} is defined twice`);
    seen.add(rule.id);
    const checked = checkRuleParams(rule.kind, rule.params);
    if (!('params' in checked))
      throw new Error(`${FILE.pathname}: rule ${rule.id}: ${checked.field} ${checked.message}`);
    return { ...rule, target: rule.target ?? {}, params: checked.params, enabled: rule.enabled ?? true };
  });
}

/**
 * Adds the shipped rules the table does not hold yet. Rows already there are the city's (edited
 * or disabled through the API) and are left alone. Runs at every start; a bad file stops the start.
 */
export async function seedAlarmRules(db: Queryable): Promise<number> {
  return insertBuiltinRulesIfAbsent(db, await readBuiltinRules());
}
