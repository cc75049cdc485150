import type { Queryable } from '@city/ingest';
import { liveEventHead, liveEventResumeFrom, liveEventsFrom } from './live-events-table.ts';
import type { LiveEvent } from './live-hub.ts';
import { type Subscription, visibleScope } from './stream-rooms.ts';

/** Events read per query of a replay. */
const PAGE = 500;
/** A longer gap is not replayed: the client reads the lists again (`complete` false). */
export const MAX_REPLAY = 10_000;
/** How long a transaction may hold an event id before it commits and still have it replayed. */
export const LATE_COMMIT_SLACK_MS = 5000;

export interface Resumed {
  fromEventId: number;
  replayed: number;
  complete: boolean;
}

/**
 * What a client missed since `lastEventId`, as its subscription may see it, handed to `send` in id
 * order; then how it went (the `resumed` event). A new client (no `lastEventId`) gets nothing but
 * the log's head, which it resumes from if it sees no event before it disconnects.
 */
export async function resume(
  db: Queryable,
  subscription: Subscription,
  lastEventId: number | undefined,
  send: (event: LiveEvent) => void,
): Promise<Resumed> {
  if (lastEventId === undefined) return { fromEventId: await liveEventHead(db), replayed: 0, complete: true };
  const from = await liveEventResumeFrom(db, lastEventId, LATE_COMMIT_SLACK_MS);
  if (from === undefined) return { fromEventId: lastEventId, replayed: 0, complete: false };
  const filter = visibleScope(subscription);
  let replayed = 0;
  for (let next = from; ; ) {
    const page = await liveEventsFrom(db, next, filter, PAGE);
    for (const event of page) {
      if (replayed === MAX_REPLAY) return { fromEventId: lastEventId, replayed, complete: false };
      send(event);
      replayed++;
    }
    if (page.length < PAGE) return { fromEventId: lastEventId, replayed, complete: true };
    next = (page[page.length - 1] as LiveEvent).id + 1;
  }
}
