import type { Queryable } from '@city/ingest';
import type { Logger } from 'pino';
import type { AlarmOperationsMetrics } from './alarm-operations-metrics.ts';
import { type Backoff, DEFAULT_BACKOFF, retryDelayMs } from './webhook-backoff.ts';
import { type ClaimedDelivery, claimDueDeliveries, markDelivered, markFailed } from './webhook-deliveries-table.ts';
import { webhookSignature } from './webhook-signature.ts';

/** Where escalations are sent (ALARM_WEBHOOK_URL) and the secret they are signed with (ALARM_WEBHOOK_SECRET). */
export interface WebhookTarget {
  url: string;
  secret: string;
}

export interface WebhookWorkerOptions {
  db: Queryable;
  target: WebhookTarget;
  log: Logger;
  metrics: AlarmOperationsMetrics;
  backoff?: Backoff | undefined;
  /** How long one call may take before it counts as failed (default 10 s). */
  timeoutMs?: number | undefined;
  /** Jitter's source (tests: fixed). */
  random?: (() => number) | undefined;
}

/** Deliveries one pass takes at most: a receiver that hangs holds up no more than these. */
const PASS_SIZE = 20;

/**
 * One pass of the webhook worker: takes the due deliveries (any process may run passes at
 * once: each delivery goes to one), calls the receiver for each, and records the outcome: a 2xx
 * answer delivers it, anything else is retried after a backoff or, after the last attempt,
 * given up. Returns how many calls it made.
 */
export async function deliverDue(opts: WebhookWorkerOptions): Promise<number> {
  const timeoutMs = opts.timeoutMs ?? 10_000;
  // The lease outlives the call: a delivery is not taken twice while its call runs.
  const claimed = await claimDueDeliveries(opts.db, { limit: PASS_SIZE, leaseSeconds: timeoutMs / 1000 + 30 });
  await Promise.all(claimed.map((delivery) => attempt(opts, delivery, timeoutMs)));
  return claimed.length;
}

async function attempt(opts: WebhookWorkerOptions, delivery: ClaimedDelivery, timeoutMs: number): Promise<void> {
  const outcome = await call(opts.target, delivery, timeoutMs);
  if (outcome.ok) {
    await markDelivered(opts.db, delivery.id, outcome.status);
    opts.metrics.webhookAttempts.inc({ outcome: 'delivered' });
    return;
  }
  const retryInMs = retryDelayMs(delivery.attempt, opts.backoff ?? DEFAULT_BACKOFF, opts.random);
  await markFailed(opts.db, delivery.id, { status: outcome.status, error: outcome.error, retryInMs });
  opts.metrics.webhookAttempts.inc({ outcome: retryInMs === null ? 'gave_up' : 'retry' });
  const what = `webhook delivery ${delivery.id} (${delivery.event}), attempt ${delivery.attempt}: ${outcome.error}`;
  if (retryInMs === null) opts.log.error(`${what}; given up`);
  else opts.log.warn(`${what}; next in ${Math.round(retryInMs / 1000)} s`);
}

type Outcome = { ok: true; status: number } | { ok: false; status: number | null; error: string };

async function call(target: WebhookTarget, delivery: ClaimedDelivery, timeoutMs: number): Promise<Outcome> {
  const body = JSON.stringify(delivery.payload);
  const timestamp = String(Math.floor(Date.now() / 1000));
  try {
    const res = await fetch(target.url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'user-agent': 'city-twin-webhook',
        'x-city-event': delivery.event,
        'x-city-delivery': String(delivery.id),
        'x-city-timestamp': timestamp,
        'x-city-signature': webhookSignature(target.secret, timestamp, body),
      },
      body,
      // A redirect is the receiver's misconfiguration: followed, it would send the call elsewhere.
      redirect: 'manual',
      signal: AbortSignal.timeout(timeoutMs),
    });
    // The answer's body is not needed; reading it frees the connection for the next call.
    await res.arrayBuffer().catch(() => undefined);
    if (res.status >= 200 && res.status < 300) return { ok: true, status: res.status };
    return { ok: false, status: res.status, error: `HTTP ${res.status}` };
  } catch (err) {
    const e = err as Error & { cause?: { code?: string } };
    const reason = e.name === 'TimeoutError' ? `no answer within ${timeoutMs} ms` : (e.cause?.code ?? e.message);
    return { ok: false, status: null, error: reason };
  }
}
