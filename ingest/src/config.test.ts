import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config.ts';

describe('configuration', () => {
  it('has a default for everything and takes overrides from the environment', () => {
    const config = loadConfig({ PORT: '9090', MQTT_SHARE_GROUP: 'ingest', DATABASE_URL: '' });
    expect(config.port).toBe(9090);
    expect(config.mqttPort).toBe(1883);
    expect(config.mqttShareGroup).toBe('ingest');
    expect(config.databaseUrl).toBeUndefined();
  });

  it('lists every bad value in one error', () => {
    expect(() => loadConfig({ PORT: 'eighty', BATCH_SIZE: '-1', LOG_LEVEL: 'loud' })).toThrow(ConfigError);
    try {
      loadConfig({ PORT: 'eighty', BATCH_SIZE: '-1', LOG_LEVEL: 'loud' });
    } catch (err) {
      expect((err as Error).message).toMatch(/PORT: .*eighty[\s\S]*BATCH_SIZE[\s\S]*LOG_LEVEL: expected one of/);
    }
  });
});
