import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDb } from '@city/ingest';
import mqtt from 'mqtt';
import { afterAll, describe, expect, it } from 'vitest';
import { EMBEDDED_SETTINGS } from '../../src/embedded-settings.ts';
import { count, newApplicationId } from '../support/engines.ts';
import { EM310, em310Uplink, eventTopic, testDevice } from '../support/fleet.ts';
import { freePort } from '../support/net.ts';
import { spawnEmbedded } from '../support/service-process.ts';

const DEVICES = 100;
const PER_DEVICE = 50;
const TOTAL = DEVICES * PER_DEVICE;

/**
 * "A PUBACK from the embedded broker means the frame is safely spooled": `pnpm start`'s process
 * (no demo fleet) takes 5,000 QoS 1 uplinks from the network server's demo account and is
 * killed with SIGKILL the moment the last PUBACK arrives. Started again on the same DATA_DIR,
 * it stores every acknowledged uplink, exactly once.
 */
describe('embedded mode: kill -9 after PUBACK', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'embedded-kill-'));
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('stores every acknowledged uplink exactly once after the restart', async () => {
    const mqttPort = await freePort();
    const env = {
      DATABASE_URL: '',
      MQTT_URL: '',
      DATA_DIR: dataDir,
      MQTT_PORT: String(mqttPort),
      DEMO_DEVICES: '0',
      LOG_LEVEL: 'warn',
    };
    const applicationId = newApplicationId();
    const first = await spawnEmbedded(env);
    const publisher = await mqtt.connectAsync(`mqtt://127.0.0.1:${mqttPort}`, {
      clientId: `pub-${applicationId}`,
      username: EMBEDDED_SETTINGS.demoMqttUser.default,
      password: EMBEDDED_SETTINGS.demoMqttPassword.default,
      reconnectPeriod: 0,
    });
    const acked: Promise<unknown>[] = [];
    for (let n = 0; n < DEVICES; n++) {
      // Zero-touch: the ChirpStack tag `model` registers each device on its first uplink.
      const device = testDevice(applicationId, n, { model: EM310 });
      for (let fCnt = 1; fCnt <= PER_DEVICE; fCnt++)
        acked.push(
          publisher.publishAsync(eventTopic(device, 'up'), Buffer.from(em310Uplink(device, fCnt)), { qos: 1 }),
        );
    }
    await Promise.all(acked);
    await first.stop('SIGKILL');
    publisher.end(true);

    const second = await spawnEmbedded(env);
    const replayed = /"frames":(\d+)[^\n]*did not commit/.exec(second.output())?.[1] ?? '0';
    // A graceful stop commits what the restart took up, and frees the database for this test.
    await second.stop('SIGTERM');
    const db = await openDb({ dataDir: join(dataDir, 'pglite') });
    try {
      // The data directory is this test's alone: every uplink in it was published above.
      expect(await count(db, 'uplinks')).toBe(TOTAL);
      console.log(`kill -9 after ${TOTAL} PUBACKs: ${replayed} frames replayed from the spool on restart`);
    } finally {
      await db.close();
    }
  }, 180_000);
});
