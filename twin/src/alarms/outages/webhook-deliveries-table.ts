import { isoTime, type Queryable } from '@city/ingest';
import type { WebhookDelivery, WebhookDeliveryStatus } from '../../contract/alarms.ts';

/**
 * The webhook_deliveries table, an outbox: a delivery is queued in the transaction of what it
 * announces, and taken by whichever process's worker comes first. Its columns, its row format
 * (the contract's `WebhookDelivery`) and its queries.
 */

const STATUS = `CASE WHEN delivered_at IS NOT NULL THEN 'delivered' WHEN gave_up_at IS NOT NULL THEN 'failed'
  ELSE 'pending' END`;
const COLUMNS = `id::int AS id, event, ${STATUS} AS status, ${isoTime('created_at')} AS "createdAt", attempts,
  CASE WHEN delivered_at IS NULL AND gave_up_at IS NULL THEN ${isoTime('next_attempt_at')} END AS "nextAttemptAt",
  ${isoTime('delivered_at')} AS "deliveredAt", ${isoTime('gave_up_at')} AS "gaveUpAt",
  last_status AS "lastStatus", last_error AS "lastError", payload`;
const DUE = 'delivered_at IS NULL AND gave_up_at IS NULL';

export interface NewDelivery {
  event: string;
  payload: unknown;
}

export async function queueDeliveries(tx: Queryable, deliveries: readonly NewDelivery[]): Promise<void> {
  if (deliveries.length === 0) return;
  await tx.query(
    `INSERT INTO webhook_deliveries (event, payload)
     SELECT event, payload FROM unnest($1::text[], $2::jsonb[]) WITH ORDINALITY AS d(event, payload, n) ORDER BY n`,
    [deliveries.map((d) => d.event), deliveries.map((d) => JSON.stringify(d.payload))],
  );
}

/** A delivery taken by a worker: `attempt` counts this one. */
export interface ClaimedDelivery {
  id: number;
  event: string;
  payload: unknown;
  attempt: number;
}

/**
 * Takes up to `limit` due deliveries for one attempt each. The lease moves them out of every
 * worker's sight for `leaseSeconds` and commits at once, so no connection is held while the
 * receiver answers; a worker that dies mid-attempt leaves them due again when the lease ends.
 */
export async function claimDueDeliveries(
  db: Queryable,
  { limit, leaseSeconds }: { limit: number; leaseSeconds: number },
): Promise<ClaimedDelivery[]> {
  const { rows } = await db.query<ClaimedDelivery>(
    `UPDATE webhook_deliveries SET attempts = attempts + 1,
        next_attempt_at = now() + $2::double precision * interval '1 second'
      WHERE id IN (SELECT id FROM webhook_deliveries WHERE ${DUE} AND next_attempt_at <= now()
                    ORDER BY next_attempt_at, id LIMIT $1 FOR UPDATE SKIP LOCKED)
      RETURNING id::int AS id, event, payload, attempts AS attempt`,
    [limit, leaseSeconds],
  );
  return rows.sort((a, b) => a.id - b.id);
}

export async function markDelivered(db: Queryable, id: number, status: number): Promise<void> {
  await db.query(
    'UPDATE webhook_deliveries SET delivered_at = now(), last_status = $2, last_error = NULL WHERE id = $1',
    [id, status],
  );
}

/** Records a failed attempt: tried again in `retryInMs`, or given up for good when that is null. */
export async function markFailed(
  db: Queryable,
  id: number,
  failure: { status: number | null; error: string; retryInMs: number | null },
): Promise<void> {
  await db.query(
    `UPDATE webhook_deliveries SET last_status = $2, last_error = $3,
        next_attempt_at = CASE WHEN $4::double precision IS NULL THEN next_attempt_at
          ELSE now() + $4::double precision * interval '1 millisecond' END,
        gave_up_at = CASE WHEN $4::double precision IS NULL THEN now() END
      WHERE id = $1`,
    [id, failure.status, failure.error.slice(0, 500), failure.retryInMs],
  );
}

/** Deliveries newest first. */
export async function listDeliveries(
  db: Queryable,
  f: { status?: WebhookDeliveryStatus | undefined; limit: number; offset: number },
): Promise<WebhookDelivery[]> {
  const { rows } = await db.query<WebhookDelivery>(
    `SELECT ${COLUMNS} FROM webhook_deliveries WHERE ($1::text IS NULL OR ${STATUS} = $1)
      ORDER BY id DESC LIMIT $2 OFFSET $3`,
    [f.status ?? null, f.limit, f.offset],
  );
  return rows;
}

/** Deliveries waiting, and those given up in the last day, with the latest error: what /health shows. */
export async function deliveryBacklog(
  db: Queryable,
): Promise<{ pending: number; failedLastDay: number; lastError: string | null }> {
  const { rows } = await db.query<{ pending: number; failedLastDay: number; lastError: string | null }>(
    `SELECT (SELECT count(*)::int FROM webhook_deliveries WHERE ${DUE}) AS pending,
            (SELECT count(*)::int FROM webhook_deliveries WHERE gave_up_at > now() - interval '1 day') AS "failedLastDay",
            (SELECT last_error FROM webhook_deliveries WHERE last_error IS NOT NULL
              ORDER BY next_attempt_at DESC LIMIT 1) AS "lastError"`,
  );
  return rows[0] ?? { pending: 0, failedLastDay: 0, lastError: null };
}

/** Forgets deliveries finished (delivered or given up) more than `keepHours` ago. */
export async function pruneDeliveries(db: Queryable, keepHours: number): Promise<number> {
  const { rows } = await db.query<{ n: number }>(
    `WITH gone AS (DELETE FROM webhook_deliveries
        WHERE COALESCE(delivered_at, gave_up_at) < now() - $1::double precision * interval '1 hour' RETURNING 1)
     SELECT count(*)::int AS n FROM gone`,
    [keepHours],
  );
  return rows[0]?.n ?? 0;
}
