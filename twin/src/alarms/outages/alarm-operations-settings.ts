import { ConfigError } from '@city/ingest';
import { TWIN_SETTINGS } from '../../config.ts';
import type { WebhookTarget } from './webhook-worker.ts';

const MIN_SECRET_LENGTH = 32;

/** What the alarm timers need from the platform's settings, checked together. */
export interface AlarmOperationsSettings {
  escalateAfterSeconds: number;
  /** None: escalations go to the stream only. */
  webhook: WebhookTarget | undefined;
  retentionHours: number;
}

/**
 * The settings of escalation, the webhook and pruning (README "Configuration"): a webhook needs
 * both its http(s) URL and a secret long enough to sign with; one without the other stops the
 * start rather than sending unsigned calls or none.
 */
export function alarmOperationsSettings(config: {
  alarmEscalateAfterSeconds: number;
  alarmWebhookUrl: string | undefined;
  alarmWebhookSecret: string | undefined;
  alarmLogRetentionDays: number;
}): AlarmOperationsSettings {
  const { alarmWebhookUrl: url, alarmWebhookSecret: secret } = config;
  if (config.alarmLogRetentionDays < 1) throw new ConfigError('ALARM_LOG_RETENTION_DAYS must be at least 1');
  const base = {
    escalateAfterSeconds: config.alarmEscalateAfterSeconds,
    retentionHours: config.alarmLogRetentionDays * 24,
  };
  if (url === undefined) {
    if (secret !== undefined) throw new ConfigError('ALARM_WEBHOOK_SECRET is set but ALARM_WEBHOOK_URL is not');
    return { ...base, webhook: undefined };
  }
  if (!/^https?:$/.test(URL.parse(url)?.protocol ?? '')) {
    // Not echoed: the URL may carry a gateway's token.
    throw new ConfigError('ALARM_WEBHOOK_URL must be an http(s) URL');
  }
  if (secret === undefined || secret.length < MIN_SECRET_LENGTH) {
    throw new ConfigError(
      `ALARM_WEBHOOK_SECRET of at least ${MIN_SECRET_LENGTH} characters is required with ALARM_WEBHOOK_URL (e.g. \`openssl rand -base64 48\`)`,
    );
  }
  return { ...base, webhook: { url, secret } };
}

/** The settings' defaults (no webhook): what a server gets when its caller passes none. */
export const DEFAULT_ALARM_OPERATIONS_SETTINGS: AlarmOperationsSettings = alarmOperationsSettings({
  alarmEscalateAfterSeconds: TWIN_SETTINGS.alarmEscalateAfterSeconds.default,
  alarmWebhookUrl: undefined,
  alarmWebhookSecret: undefined,
  alarmLogRetentionDays: TWIN_SETTINGS.alarmLogRetentionDays.default,
});
