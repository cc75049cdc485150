import type { Queryable } from '@city/ingest';
import type { Alarm } from '../contract/alarms.ts';
import type { AlarmAction } from '../contract/stream.ts';
import { insertLiveEvents, type LiveEventDraft } from '../stream/live-events-table.ts';
import type { LiveEvent } from '../stream/live-hub.ts';

/** A change to an alarm as the stream announces it: what happened, and the alarm after it. */
export interface AlarmChange {
  action: AlarmAction;
  alarm: Alarm;
}

/**
 * What another part does in the transaction that changed alarms, before it commits: the district
 * roll-up (outages) updates its rows from the alarms as they are now and returns its own events
 * to announce after the alarms'.
 */
export type AfterAlarmChange = (tx: Queryable, changed: readonly Alarm[]) => Promise<LiveEventDraft[]>;

/**
 * Writes the stream's log entries for `changes` (and for what `afterChange` did with them) in
 * the transaction that made them; the caller publishes the result once it has committed.
 */
export async function announceAlarmChanges(
  tx: Queryable,
  changes: readonly AlarmChange[],
  afterChange?: AfterAlarmChange,
): Promise<LiveEvent[]> {
  if (changes.length === 0) return [];
  const drafts = changes.map(
    ({ action, alarm }): LiveEventDraft => ({
      event: 'alarm',
      district: alarm.district,
      objectType: alarm.objectType,
      utility: alarm.utility,
      payload: { action, alarm },
    }),
  );
  // The latest state of each alarm, once, for the roll-up.
  const latest = new Map(changes.map(({ alarm }) => [alarm.id, alarm]));
  const followUps = afterChange ? await afterChange(tx, [...latest.values()]) : [];
  return insertLiveEvents(tx, [...drafts, ...followUps]);
}
