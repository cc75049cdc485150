import { ApiError, type Db, type Principal } from '@city/ingest';
import type { Alarm } from '../contract/alarms.ts';
import type { ApiErrorCode } from '../contract/api-errors.ts';
import type { LiveEvent } from '../stream/live-hub.ts';
import { checkAlarmUtility } from './alarm-access.ts';
import { type AfterAlarmChange, announceAlarmChanges } from './alarm-changes.ts';
import { insertAlarmEvents, type NewAlarmEvent } from './alarm-events-table.ts';
import { acknowledgeAlarm, assignAlarm, clearAlarmBy, lockAlarm, touchAlarm } from './alarms-table.ts';

/** What staff do to an alarm. */
export type StaffAction =
  | { kind: 'acknowledged' }
  | { kind: 'cleared' }
  | { kind: 'assigned'; assignee: string | null }
  | { kind: 'commented'; text: string };

const refused = (status: number, code: ApiErrorCode, message: string) =>
  new ApiError<ApiErrorCode>(status, code, message);

/**
 * Acknowledges, clears, assigns or comments on alarm `id` for `principal`, with its history row
 * and the stream's log entry, in one transaction; returns the alarm and the entries to publish
 * once this has returned. The alarm is locked for the step, so two people acting at once take
 * turns and the second sees the first's change (acknowledging twice is a 409, as is clearing a
 * cleared alarm).
 */
export async function actOnAlarm(
  db: Db,
  id: number,
  principal: Principal | undefined,
  action: StaffAction,
  afterChange?: AfterAlarmChange,
): Promise<{ alarm: Alarm; events: LiveEvent[] }> {
  const actor = principal?.name ?? null;
  return db.transaction(async (tx) => {
    const state = await lockAlarm(tx, id);
    if (!state) throw refused(404, 'not_found', `no alarm ${id}`);
    checkAlarmUtility(principal, state);
    let alarm: Alarm;
    const entry: NewAlarmEvent = { alarmId: id, kind: action.kind, actor };
    switch (action.kind) {
      case 'acknowledged':
        if (state.acknowledged) throw refused(409, 'invalid_transition', `alarm ${id} is acknowledged already`);
        alarm = await acknowledgeAlarm(tx, id, actor);
        break;
      case 'cleared':
        if (!state.active) throw refused(409, 'invalid_transition', `alarm ${id} is cleared already`);
        alarm = await clearAlarmBy(tx, id, actor);
        break;
      case 'assigned':
        alarm = await assignAlarm(tx, id, action.assignee);
        entry.detail = { assignee: action.assignee };
        break;
      case 'commented':
        alarm = await touchAlarm(tx, id);
        entry.comment = action.text;
        break;
    }
    await insertAlarmEvents(tx, [entry]);
    const events = await announceAlarmChanges(tx, [{ action: action.kind, alarm }], afterChange);
    return { alarm, events };
  });
}
