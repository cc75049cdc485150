import type { Db, Queryable } from '@city/ingest';
import type { Alarm } from '../../contract/alarms.ts';
import type { LiveEvent } from '../../stream/live-hub.ts';
import { announceAlarmChanges } from '../alarm-changes.ts';
import { insertAlarmEvents } from '../alarm-events-table.ts';
import { getAlarm } from '../alarms-table.ts';
import { queueDeliveries } from './webhook-deliveries-table.ts';

/** The webhook event an escalation sends (`X-City-Event`). */
export const ESCALATED_EVENT = 'alarm.escalated';

/** Most alarms one pass escalates; the next pass takes the rest. */
const PASS_SIZE = 100;

/**
 * Escalates the critical alarms left unacknowledged for `afterSeconds` since they were raised:
 * marks them (once, whichever process gets there first), writes their history, announces them
 * on the stream (`escalated`) and, with a webhook, queues its calls, all in one transaction.
 * Returns the stream's log entries for the caller to publish.
 */
export async function escalateOverdue(
  db: Db,
  { afterSeconds, webhook }: { afterSeconds: number; webhook: boolean },
): Promise<{ alarms: Alarm[]; events: LiveEvent[] }> {
  return db.transaction(async (tx) => {
    const ids = await markEscalated(tx, afterSeconds);
    if (ids.length === 0) return { alarms: [], events: [] };
    await insertAlarmEvents(
      tx,
      ids.map((alarmId) => ({ alarmId, kind: 'escalated', actor: null })),
    );
    const alarms: Alarm[] = [];
    for (const id of ids) {
      const alarm = await getAlarm(tx, id);
      if (alarm) alarms.push(alarm);
    }
    const events = await announceAlarmChanges(
      tx,
      alarms.map((alarm) => ({ action: 'escalated', alarm })),
    );
    if (webhook) {
      await queueDeliveries(
        tx,
        alarms.map((alarm) => ({ event: ESCALATED_EVENT, payload: { event: ESCALATED_EVENT, alarm } })),
      );
    }
    return { alarms, events };
  });
}

/**
 * Marks the overdue alarms (the partial index alarms_escalating finds them). A row another
 * process is marking is skipped, not waited for: that process escalates it.
 */
async function markEscalated(tx: Queryable, afterSeconds: number): Promise<number[]> {
  const { rows } = await tx.query<{ id: number }>(
    `UPDATE alarms SET escalated_at = now(), updated_at = now()
      WHERE id IN (SELECT id FROM alarms
                    WHERE active AND NOT acknowledged AND escalated_at IS NULL AND severity = 'critical'
                      AND raised_at < now() - $1::double precision * interval '1 second'
                    ORDER BY raised_at LIMIT $2 FOR UPDATE SKIP LOCKED)
      RETURNING id::int AS id`,
    [afterSeconds, PASS_SIZE],
  );
  return rows.map((r) => r.id).sort((a, b) => a - b);
}
