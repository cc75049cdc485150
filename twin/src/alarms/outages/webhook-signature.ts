import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * How a webhook call is signed: `X-City-Signature: sha256=<hex>`, the HMAC-SHA256 with the
 * shared secret (ALARM_WEBHOOK_SECRET) of `<X-City-Timestamp>.<body>`. The timestamp is in the
 * signed text so a receiver can refuse an old call replayed (README "Escalation and webhooks").
 */
export function webhookSignature(secret: string, timestamp: string, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;
}

/** A receiver's check: the signature matches and the timestamp (seconds since the epoch) is recent. */
export function verifyWebhookSignature(
  secret: string,
  call: { timestamp: string; body: string; signature: string },
  { toleranceSeconds = 300, nowMs = Date.now() }: { toleranceSeconds?: number; nowMs?: number } = {},
): boolean {
  const expected = Buffer.from(webhookSignature(secret, call.timestamp, call.body));
  const given = Buffer.from(call.signature);
  const fresh = Math.abs(nowMs / 1000 - Number(call.timestamp)) <= toleranceSeconds;
  return fresh && given.length === expected.length && timingSafeEqual(given, expected);
}
