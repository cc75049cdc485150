import type { Queryable } from '@city/ingest';
import type { LiveEvent, LiveEventScope } from './live-hub.ts';

/**
 * The live_events table: the stream's ordered log. Rows are written in the transaction of the
 * change they announce; the payload is stored without its `eventId`, which is the row's id.
 */

/** A payload without its id (each member of a union on its own). */
type Payload<E extends LiveEvent> = E['payload'] extends infer P
  ? P extends unknown
    ? Omit<P, 'eventId'>
    : never
  : never;

/** A change to announce, before it has its id. */
export type LiveEventDraft = {
  [E in LiveEvent as E['event']]: { event: E['event'] } & Omit<LiveEventScope, 'id'> & { payload: Payload<E> };
}[LiveEvent['event']];

/** Writes `drafts` in one statement, in order; returns them as the stream sends them. */
export async function insertLiveEvents(tx: Queryable, drafts: readonly LiveEventDraft[]): Promise<LiveEvent[]> {
  if (drafts.length === 0) return [];
  const { rows } = await tx.query<{ id: number }>(
    `INSERT INTO live_events (event, district, object_type, utility, payload)
     SELECT event, district, object_type, utility, payload
       FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::jsonb[]) WITH ORDINALITY
       AS d(event, district, object_type, utility, payload, n)
     ORDER BY n
     RETURNING id::int AS id`,
    [
      drafts.map((d) => d.event),
      drafts.map((d) => d.district),
      drafts.map((d) => d.objectType),
      drafts.map((d) => d.utility),
      drafts.map((d) => JSON.stringify(d.payload)),
    ],
  );
  // Ids come from the sequence in the order the rows are inserted, whatever order RETURNING lists them in.
  const ids = rows.map((r) => r.id).sort((a, b) => a - b);
  return drafts.map((d, i) => withId(d, ids[i] as number));
}

function withId(draft: LiveEventDraft, id: number): LiveEvent {
  return { ...draft, id, payload: { ...draft.payload, eventId: id } } as LiveEvent;
}

/** Who may see what, as the stream's rooms decide it (stream-rooms.ts `visibleScope`). */
export interface LiveEventFilter {
  /** undefined: every utility; otherwise this utility's events (null: none) and those of no utility. */
  utility?: string | null;
  /** false: not the events only staff who act may see (commands); undefined: those too. */
  staffOnly?: false;
  /** Empty both: every district and type; otherwise events in one of the districts or of one of the types. */
  districts: readonly string[];
  objectTypes: readonly string[];
}

/** The newest id in the log (0 when empty). */
export async function liveEventHead(db: Queryable): Promise<number> {
  const { rows } = await db.query<{ head: number }>('SELECT coalesce(max(id), 0)::int AS head FROM live_events');
  return rows[0]?.head ?? 0;
}

/**
 * Where a client that saw `lastEventId` resumes: the first event inserted up to `slackMs` before
 * that one. An id is taken at insert and seen at commit, so an event with a lower id may commit
 * after a higher one the client saw; those of the last few seconds are sent again (clients drop
 * ids they have seen). undefined when `lastEventId` is no longer in the log (pruned): the gap
 * cannot be replayed.
 */
export async function liveEventResumeFrom(
  db: Queryable,
  lastEventId: number,
  slackMs: number,
): Promise<number | undefined> {
  const { rows } = await db.query<{ first: number | null }>(
    `SELECT (SELECT min(e.id)::int FROM live_events e
              WHERE e.at >= last.at - $2 * interval '1 millisecond' AND e.id <= last.id) AS first
       FROM live_events last WHERE last.id = $1`,
    [lastEventId, slackMs],
  );
  return rows[0]?.first ?? undefined;
}

/** Up to `limit` events with ids from `fromId` on that `filter` lets through, in id order. */
export async function liveEventsFrom(
  db: Queryable,
  fromId: number,
  filter: LiveEventFilter,
  limit: number,
): Promise<LiveEvent[]> {
  const rooms = filter.districts.length + filter.objectTypes.length > 0;
  const { rows } = await db.query<LiveEventDraft & { id: number }>(
    `SELECT id::int AS id, event, district, object_type AS "objectType", utility, payload FROM live_events
      WHERE id >= $1
        AND ($2::boolean OR utility IS NULL OR utility = $3)
        AND (NOT $4::boolean OR district = ANY($5::text[]) OR object_type = ANY($6::text[]))
        AND ($8::boolean OR event <> 'command')
      ORDER BY id LIMIT $7`,
    [
      fromId,
      filter.utility === undefined,
      filter.utility ?? null,
      rooms,
      filter.districts,
      filter.objectTypes,
      limit,
      filter.staffOnly !== false,
    ],
  );
  return rows.map((row) => withId(row, row.id));
}

/**
 * Forgets events logged more than `keepHours` ago, except the newest: a client that saw it
 * still resumes from it. A client whose last event is gone is told the gap cannot be replayed.
 */
export async function pruneLiveEvents(db: Queryable, keepHours: number): Promise<number> {
  const { rows } = await db.query<{ n: number }>(
    `WITH gone AS (DELETE FROM live_events
        WHERE at < now() - $1::double precision * interval '1 hour'
          AND id < (SELECT max(id) FROM live_events) RETURNING 1)
     SELECT count(*)::int AS n FROM gone`,
    [keepHours],
  );
  return rows[0]?.n ?? 0;
}
