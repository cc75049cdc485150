import type { Queryable } from '@city/ingest';
import type { Logger } from 'pino';
import type { AlarmRule } from '../../contract/alarm-rules.ts';
import { alarmRulesVersion, listAlarmRules } from './alarm-rules-table.ts';
import { checkRuleParams } from './check-rule-params.ts';

/**
 * The rules as the engine runs them: those whose parameters check (a row changed by SQL may
 * not), with their defaults filled in. A rule that does not check is left out and logged.
 */
export async function loadRules(db: Queryable, log?: Logger): Promise<AlarmRule[]> {
  const rules: AlarmRule[] = [];
  for (const rule of await listAlarmRules(db)) {
    const checked = checkRuleParams(rule.kind, rule.params);
    if ('params' in checked) rules.push({ ...rule, params: checked.params } as AlarmRule);
    else
      log?.warn(
        { rule: rule.id, field: checked.field, problem: checked.message },
        'alarm rule left out: it does not check',
      );
  }
  return rules;
}

export interface AlarmRuleSyncOptions {
  db: Queryable;
  log: Logger;
  /** Gets the rules at start and each time they change. */
  onRules: (rules: AlarmRule[]) => void;
  /** How often the table is asked whether anything changed (default 5 s). */
  intervalMs?: number;
}

/**
 * Keeps a process's rule engine on the table's rules: changes made through this process's API
 * at once (`refresh`, the routes' `rulesChanged`), those of other processes or SQL within
 * `intervalMs`, by a poll of one cheap aggregate that reads the rules again only when it moves.
 */
export class AlarmRuleSync {
  private version = '';
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> = Promise.resolve();

  private constructor(private readonly opts: AlarmRuleSyncOptions) {}

  static async start(opts: AlarmRuleSyncOptions): Promise<AlarmRuleSync> {
    const sync = new AlarmRuleSync(opts);
    await sync.refresh();
    sync.timer = setInterval(() => {
      sync.refresh().catch((err: Error) => opts.log.warn({ err: err.message }, 'alarm rules: refresh failed'));
    }, opts.intervalMs ?? 5000);
    sync.timer.unref();
    return sync;
  }

  /** Reads the rules again if they changed; one refresh at a time, so an older read never lands after a newer one. */
  refresh(): Promise<void> {
    this.running = this.running.catch(() => {}).then(() => this.reload());
    return this.running;
  }

  close(): void {
    clearInterval(this.timer);
  }

  private async reload(): Promise<void> {
    const version = await alarmRulesVersion(this.opts.db);
    if (version === this.version) return;
    const rules = await loadRules(this.opts.db, this.opts.log);
    this.version = version;
    this.opts.onRules(rules);
  }
}
