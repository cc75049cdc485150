import { describe, expect, it } from 'vitest';
import { INGEST_SETTINGS } from './ingest-settings.ts';
import { PROCESS_SETTINGS } from './process-settings.ts';
import { ConfigError, loadSettings } from './settings.ts';

const STANDALONE = { ...PROCESS_SETTINGS, ...INGEST_SETTINGS };

describe('settings', () => {
  it('has a default for everything and takes overrides from the environment', () => {
    const config = loadSettings(STANDALONE, { PORT: '9090', MQTT_SHARE_GROUP: 'ingest', DATABASE_URL: '' });
    expect(config.port).toBe(9090);
    expect(config.batchSize).toBe(2000);
    expect(config.mqttShareGroup).toBe('ingest');
    expect(config.databaseUrl).toBeUndefined();
  });

  it('lets code override what the environment says', () => {
    expect(loadSettings(STANDALONE, { BATCH_SIZE: '10' }, { batchSize: 500 }).batchSize).toBe(500);
  });

  it('lists every bad value in one error', () => {
    const bad = { PORT: 'eighty', BATCH_SIZE: '-1', LOG_LEVEL: 'loud' };
    expect(() => loadSettings(STANDALONE, bad)).toThrow(ConfigError);
    for (const problem of [/PORT: .*"eighty"/, /BATCH_SIZE: .*"-1"/, /LOG_LEVEL: expected one of/]) {
      expect(() => loadSettings(STANDALONE, bad)).toThrow(problem);
    }
  });
});
