import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { verifyWebhookSignature, webhookSignature } from './webhook-signature.ts';

describe('webhook signatures', () => {
  const secret = 'a-webhook-secret-of-enough-length';
  const body = '{"event":"alarm.escalated"}';
  const nowMs = 1_767_000_000_000;
  const timestamp = String(nowMs / 1000);

  it('is the HMAC-SHA256 of "timestamp.body", in hex', () => {
    const hex = createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex');
    expect(webhookSignature(secret, timestamp, body)).toBe(`sha256=${hex}`);
  });

  it('verifies its own, and refuses another body, another secret or an old timestamp', () => {
    const signature = webhookSignature(secret, timestamp, body);
    expect(verifyWebhookSignature(secret, { timestamp, body, signature }, { nowMs })).toBe(true);
    expect(verifyWebhookSignature(secret, { timestamp, body: `${body} `, signature }, { nowMs })).toBe(false);
    expect(verifyWebhookSignature(`${secret}!`, { timestamp, body, signature }, { nowMs })).toBe(false);
    expect(verifyWebhookSignature(secret, { timestamp, body, signature }, { nowMs: nowMs + 301_000 })).toBe(false);
    expect(verifyWebhookSignature(secret, { timestamp, body, signature: 'sha256=00' }, { nowMs })).toBe(false);
  });
});
