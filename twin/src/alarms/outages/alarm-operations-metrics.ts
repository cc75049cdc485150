import type { Queryable } from '@city/ingest';
import { Counter, Gauge, Registry } from 'prom-client';
import { deliveryBacklog } from './webhook-deliveries-table.ts';

/**
 * Escalations and webhook calls for /metrics, on a registry of their own (one per server, as
 * tests run several). The backlog is read from the outbox, so every replica reports the same.
 */
export function createAlarmOperationsMetrics(db: Queryable, registry = new Registry()) {
  new Gauge({
    name: 'twin_webhook_backlog',
    help: 'Webhook deliveries waiting (state=pending) and given up in the last day (state=failed)',
    labelNames: ['state'],
    registers: [registry],
    async collect() {
      const backlog = await deliveryBacklog(db);
      this.set({ state: 'pending' }, backlog.pending);
      this.set({ state: 'failed' }, backlog.failedLastDay);
    },
  });
  return {
    registry,
    escalations: new Counter({
      name: 'twin_alarm_escalations_total',
      help: 'Unacknowledged critical alarms escalated by this process',
      registers: [registry],
    }),
    webhookAttempts: new Counter({
      name: 'twin_webhook_attempts_total',
      help: 'Webhook calls made by this process, by outcome (delivered, retry, gave_up)',
      labelNames: ['outcome'],
      registers: [registry],
    }),
  };
}

export type AlarmOperationsMetrics = ReturnType<typeof createAlarmOperationsMetrics>;
