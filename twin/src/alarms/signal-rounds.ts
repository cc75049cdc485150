import type { AlarmSignal } from './alarm-signal.ts';

/** Consecutive signals of one subject and alarm type with the same action: they fold into one row. */
export interface SignalRun {
  action: AlarmSignal['action'];
  subject: string;
  alarmType: string;
  signals: AlarmSignal[];
}

/**
 * Splits a batch into rounds the store applies one after the other, each with one statement per
 * kind: a round holds at most one run per subject and type, so no statement touches an alarm
 * twice, and the order of a subject's raises and clears is kept (raise, clear, raise makes two
 * alarms). A usual batch, with no subject both raised and cleared, is one round.
 */
export function signalRounds(signals: readonly AlarmSignal[]): SignalRun[][] {
  const runsByKey = new Map<string, SignalRun[]>();
  for (const signal of signals) {
    const key = `${signal.subject}\u0000${signal.rule.alarmType}`;
    const runs = runsByKey.get(key) ?? [];
    if (runs.length === 0) runsByKey.set(key, runs);
    const last = runs.at(-1);
    if (last?.action === signal.action) last.signals.push(signal);
    else
      runs.push({
        action: signal.action,
        subject: signal.subject,
        alarmType: signal.rule.alarmType,
        signals: [signal],
      });
  }
  const rounds: SignalRun[][] = [];
  for (const runs of runsByKey.values()) {
    runs.forEach((run, i) => {
      const round = rounds[i] ?? [];
      if (round.length === 0) rounds[i] = round;
      round.push(run);
    });
  }
  return rounds;
}
