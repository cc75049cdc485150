import { joinEvent, type Marshaler, statusEvent, uplinkEvent } from '@city/firmware-sim';
import type { IngestService, Reading } from '@city/ingest';
import mqtt, { type MqttClient } from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { count, ENGINE_KINDS, type Engines, startEngines, waitFor } from './support/engines.ts';
import { em310Payload, eventTopic, testDevice } from './support/fleet.ts';
import { platformServer, type SignedInServer, startTestIngest } from './support/ingest.ts';

describe.each(ENGINE_KINDS)('ingest end to end on %s engines', (kind) => {
  let engines: Engines;
  let service: IngestService;
  let api: SignedInServer;
  let publisher: MqttClient;

  beforeAll(async () => {
    engines = await startEngines(kind);
    service = await startTestIngest({ ...engines, overrides: { batchSize: 200 } });
    api = await platformServer(service);
    publisher = await mqtt.connectAsync(engines.mqttUrl, { clientId: `pub-${engines.applicationId}` });
  });

  afterAll(async () => {
    await publisher?.endAsync();
    await api?.close();
    await service?.close();
    await engines?.close();
  });

  const publish = (topic: string, payload: Uint8Array) =>
    publisher.publishAsync(topic, Buffer.from(payload), { qos: 1 });

  it.each<Marshaler>(['json', 'protobuf'])('stores uplinks published as %s ChirpStack events', async (marshaler) => {
    const n = marshaler === 'json' ? 1 : 2;
    const device = testDevice(engines.applicationId, n);
    const created = await api.inject({
      method: 'POST',
      url: '/api/v1/devices',
      payload: {
        devEui: device.devEui,
        model: 'milesight-iot/em310-udl',
        objectNumber: `СМ-01-0000${n}`,
        settings: { binDepthMm: 1000 },
      },
    });
    expect(created.statusCode).toBe(201);
    const live: Reading[] = [];
    const listen = (readings: Reading[]) => live.push(...readings.filter((r) => r.devEui === device.devEui));
    service.ingest.on('readings', listen);
    const start = Date.parse('2026-11-20T10:00:00Z');
    for (let i = 0; i < 50; i++) {
      const bytes = uplinkEvent(
        {
          device,
          time: new Date(start + i * 60_000),
          fCnt: i,
          fPort: 85,
          data: em310Payload(90, 1000 - i * 10),
          gatewayId: '0016c001f153a14c',
          rssi: -80 - (i % 10),
          snr: 7.5,
          frequency: 868_100_000,
          dr: 5,
          spreadingFactor: 7,
        },
        marshaler,
      );
      await publish(eventTopic(device, 'up'), bytes);
    }
    await waitFor(
      '50 uplinks',
      async () => (await count(engines.db, 'uplinks WHERE dev_eui = $1', [device.devEui])) === 50,
    );
    await service.ingest.drain();
    service.ingest.off('readings', listen);
    // The twin hears every committed value, radio figures included.
    expect(live.filter((r) => r.metric === 'fill_level')).toHaveLength(50);
    expect(live.filter((r) => r.metric === 'rssi')).toHaveLength(50);
    // battery, distance, fill_level, tilt per uplink; rssi and snr are kept with the uplink
    expect(await count(engines.db, 'readings WHERE dev_eui = $1', [device.devEui])).toBe(200);
    const radio = await api.inject({
      url: `/api/v1/devices/${device.devEui}/readings?metric=rssi&from=2026-11-20T00:00:00Z&to=2026-11-21T00:00:00Z`,
    });
    expect(radio.json()).toHaveLength(50);
    expect(radio.json()[0]).toEqual({ time: '2026-11-20T10:49:00.000Z', metric: 'rssi', value: -89 });

    const res = await api.inject({
      url: `/api/v1/devices/${device.devEui}/readings?metric=fill_level&from=2026-11-20T00:00:00Z&to=2026-11-21T00:00:00Z`,
    });
    expect(res.statusCode).toBe(200);
    const rows = res.json() as { time: string; metric: string; value: number }[];
    expect(rows).toHaveLength(50);
    expect(rows[0]).toEqual({ time: '2026-11-20T10:49:00.000Z', metric: 'fill_level', value: 49 });

    const bucketed = await api.inject({
      url: `/api/v1/devices/${device.devEui}/readings?metric=distance&from=2026-11-20T00:00:00Z&to=2026-11-21T00:00:00Z&bucket=15m`,
    });
    const buckets = bucketed.json() as { time: string; value: number; min: number; max: number; count: number }[];
    expect(buckets).toHaveLength(4);
    expect(buckets[3]).toMatchObject({ time: '2026-11-20T10:00:00.000Z', min: 860, max: 1000, count: 15 });
    expect(buckets[3]?.value).toBeCloseTo(930, 6);
  });

  it('never doubles a replayed uplink', async () => {
    const device = testDevice(engines.applicationId, 3, { model: 'milesight-iot/em310-udl' });
    const event = uplinkEvent(
      {
        device,
        time: new Date('2026-11-20T12:00:00.123Z'),
        fCnt: 7,
        fPort: 85,
        data: em310Payload(80, 500),
        gatewayId: '0016c001f153a14c',
        rssi: -90,
        snr: 3,
        frequency: 868_300_000,
        dr: 3,
        spreadingFactor: 9,
        deduplicationId: '3ac7e3c4-4401-4b8d-9386-a5c902f9202d',
      },
      'json',
    );
    for (let i = 0; i < 3; i++) {
      await publish(eventTopic(device, 'up'), event);
      await service.ingest.drain();
    }
    await waitFor(
      'the replayed uplink',
      async () => (await count(engines.db, 'uplinks WHERE dev_eui = $1', [device.devEui])) > 0,
    );
    await new Promise((r) => setTimeout(r, 300));
    await service.ingest.drain();
    expect(await count(engines.db, 'uplinks WHERE dev_eui = $1', [device.devEui])).toBe(1);
    expect(await count(engines.db, 'readings WHERE dev_eui = $1', [device.devEui])).toBe(4);
  });

  it('registers a device zero-touch from its ChirpStack model tag, and keeps status and join events', async () => {
    const device = testDevice(engines.applicationId, 4, { model: 'milesight-iot/em310-udl', object: 'СМ-02-00001' });
    await publish(eventTopic(device, 'join'), joinEvent(device, new Date('2026-11-20T09:00:00Z'), 'protobuf'));
    await publish(
      eventTopic(device, 'status'),
      statusEvent({ device, time: new Date('2026-11-20T09:00:05Z'), margin: 12, batteryLevel: 77.5 }, 'json'),
    );
    await waitFor(
      'join and status events',
      async () => (await count(engines.db, 'device_events WHERE dev_eui = $1', [device.devEui])) === 2,
    );
    await service.ingest.state.flush(engines.db);
    const res = await api.inject({ url: `/api/v1/devices/${device.devEui}` });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({
      devEui: device.devEui,
      model: 'milesight-iot/em310-udl',
      objectNumber: 'СМ-02-00001',
      battery: 77.5,
      margin: 12,
    });
  });

  it('dead-letters what it cannot use, with the reason, and goes on', async () => {
    const stranger = testDevice(engines.applicationId, 5);
    const known = testDevice(engines.applicationId, 1);
    await publish(eventTopic(stranger, 'up'), Buffer.from('\x00\x01garbage'));
    await publish(eventTopic(known, 'up'), Buffer.from('{"time": 5}'));
    await publish(eventTopic(known, 'bogus'), Buffer.from('{}'));
    await publish(
      eventTopic(stranger, 'up'),
      uplinkEvent(
        {
          device: stranger,
          time: new Date(),
          fCnt: 1,
          fPort: 85,
          data: em310Payload(1, 1),
          gatewayId: 'aa',
          rssi: -1,
          snr: 1,
          frequency: 1,
          dr: 1,
          spreadingFactor: 7,
        },
        'json',
      ),
    );
    await waitFor(
      'four dead letters',
      async () =>
        (await count(engines.db, 'dead_letters WHERE topic LIKE $1', [`application/${engines.applicationId}/%`])) === 4,
    );
    const res = await api.inject({ url: '/api/v1/dead-letters?limit=10' });
    const reasons = (res.json() as { reason: string }[]).map((d) => d.reason).sort();
    expect(reasons).toEqual(['invalid_event', 'unknown_device', 'unknown_event', 'unparseable']);
    const health = await api.inject({ url: '/api/v1/health' });
    expect(health.statusCode).toBe(200);
    expect(health.json()).toMatchObject({ status: 'ok', components: { db: { up: true }, mqtt: { up: true } } });
  });

  it('queues a streetlight command as a ChirpStack downlink', async () => {
    const device = testDevice(engines.applicationId, 6);
    await api.inject({
      method: 'POST',
      url: '/api/v1/devices',
      payload: { devEui: device.devEui, model: 'milesight-iot/ws558', applicationId: engines.applicationId },
    });
    const topic = `application/${engines.applicationId}/device/${device.devEui}/command/down`;
    await publisher.subscribeAsync(topic, { qos: 1 });
    const received = new Promise<{ devEui: string; fPort: number; data: string; confirmed: boolean }>((resolve) =>
      publisher.on('message', (t, payload) => t === topic && resolve(JSON.parse(payload.toString()))),
    );
    const res = await api.inject({
      method: 'POST',
      url: `/api/v1/devices/${device.devEui}/downlink`,
      payload: { command: { type: 'switch', channel: 2, on: true }, confirmed: true },
    });
    expect(res.statusCode).toBe(202);
    const message = await received;
    expect(message).toMatchObject({ devEui: device.devEui, fPort: res.json().fPort, confirmed: true });
    expect(Buffer.from(message.data, 'base64').toString('hex')).toBe(res.json().bytes);
    const refused = await api.inject({
      method: 'POST',
      url: `/api/v1/devices/${testDevice(engines.applicationId, 1).devEui}/downlink`,
      payload: { command: { type: 'switch', channel: 1, on: false } },
    });
    expect(refused.json()).toMatchObject({ error: 'no_downlink' });
    // The WS558 switches circuits but has no dimmer: a dim is refused with the codec's reason.
    const noDimmer = await api.inject({
      method: 'POST',
      url: `/api/v1/devices/${device.devEui}/downlink`,
      payload: { command: { type: 'dim', channel: 1, level: 40 } },
    });
    expect({ status: noDimmer.statusCode, body: noDimmer.json() }).toMatchObject({
      status: 422,
      body: { error: 'no_downlink', message: 'this controller only switches its outputs; it has no dimmer' },
    });
  });
});
