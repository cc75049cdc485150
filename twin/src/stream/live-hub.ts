import type { CommandStreamEvent } from '../contract/commands.ts';
import type { AlarmStreamEvent, IncidentStreamEvent, ReportStreamEvent } from '../contract/stream.ts';

/**
 * A change a wall screen must not miss, as written to `live_events` in the transaction that made
 * it: the stream sends it live after the commit, and again to a client resuming from an older id.
 */
export type LiveEvent =
  | ({ event: 'alarm' } & LiveEventScope & { payload: AlarmStreamEvent })
  | ({ event: 'incident' } & LiveEventScope & { payload: IncidentStreamEvent })
  | ({ event: 'report' } & LiveEventScope & { payload: ReportStreamEvent })
  | ({ event: 'command' } & LiveEventScope & { payload: CommandStreamEvent });

/** Who may see an event and which rooms it goes to. */
export interface LiveEventScope {
  id: number;
  district: string | null;
  objectType: string | null;
  /** The utility it belongs to: a dispatcher sees their own (and events of no utility). */
  utility: string | null;
}

/**
 * Where committed changes go to be streamed. The part that wrote the `live_events` rows calls
 * `publish` after its transaction commits; the stream sends each to the clients that may see it,
 * on every server process (the socket.io Redis adapter), once.
 */
export interface LiveHub {
  publish(events: readonly LiveEvent[]): void;
}

/** A hub that publishes to both (the stream, and a test's recorder). */
export function teeHub(first: LiveHub, second: LiveHub): LiveHub {
  return {
    publish: (events) => {
      first.publish(events);
      second.publish(events);
    },
  };
}
