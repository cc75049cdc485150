import { type Marshaler, Random, type SimDevice, uplinkEvent } from '@city/firmware-sim';
import type { DeadLetterReason, IngestService } from '@city/ingest';
import mqtt, { type MqttClient } from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { count, ENGINE_KINDS, type Engines, startEngines, waitFor } from '../support/engines.ts';
import {
  EM310,
  EM310_FPORT,
  em310Data,
  em310Uplink,
  eventTopic,
  readingsPerUplink,
  STREAM_EPOCH_MS,
  testDevice,
} from '../support/fleet.ts';
import { counterValue, platformServer, type SignedInServer, startTestIngest } from '../support/ingest.ts';
import { bounded } from '../support/net.ts';
import { type Frame, publishSteadily } from '../support/stream.ts';

const REGISTERED = 10;
const GOOD_PER_DEVICE = 100; // 1,000 good uplinks
const BAD_PER_KIND = 200; // 1,000 bad frames
const SETTINGS = { binDepthMm: 1000 };

/**
 * The kinds of bad frame, each sent on the topic of a devEui numbered `kind << 16 | k`, so a
 * dead letter's topic tells which kind it was (the registered devices' own bad fPort frames
 * are on theirs, numbered 1..REGISTERED). Each kind lists the reasons it may be stored with.
 */
const KINDS = {
  random: { base: 0x1_0000, reasons: ['unparseable', 'invalid_event'] },
  truncated: { base: 0x2_0000, reasons: ['unparseable'] },
  wrongTypes: { base: 0x3_0000, reasons: ['invalid_event'] },
  unknownDevice: { base: 0x4_0000, reasons: ['unknown_device'] },
  unknownFPort: { base: 0, reasons: ['decode_failed'] },
} satisfies Record<string, { base: number; reasons: DeadLetterReason[] }>;
type Kind = keyof typeof KINDS;

/** Where each top-level length-delimited field (tag, length, content) of a Protobuf message lies. */
function lengthDelimitedFields(bytes: Uint8Array): { start: number; end: number }[] {
  const fields: { start: number; end: number }[] = [];
  let pos = 0;
  const varint = () => {
    let value = 0;
    for (let shift = 0; ; shift += 7) {
      const b = bytes[pos++] ?? 0;
      value += (b & 0x7f) * 2 ** shift;
      if ((b & 0x80) === 0) return value;
    }
  };
  while (pos < bytes.length) {
    const start = pos;
    const wire = varint() & 7;
    if (wire === 0) varint();
    else if (wire === 1) pos += 8;
    else if (wire === 5) pos += 4;
    else if (wire === 2) {
      const length = varint();
      pos += length;
      fields.push({ start, end: pos });
    } else throw new Error(`unexpected wire type ${wire}`);
  }
  return fields;
}

function simUplink(device: SimDevice, fCnt: number, marshaler: Marshaler, fPort = EM310_FPORT): Uint8Array {
  return uplinkEvent(
    {
      device,
      time: new Date(STREAM_EPOCH_MS + fCnt * 60_000),
      fCnt,
      fPort,
      data: em310Data(fCnt),
      gatewayId: '0016c001f153a14c',
      rssi: -90,
      snr: 5,
      frequency: 868_300_000,
      dr: 3,
      spreadingFactor: 9,
    },
    marshaler,
  );
}

/** 1,000 good uplinks from registered devices and 1,000 bad frames, every one distinct, shuffled. */
function frames(applicationId: string, registered: SimDevice[]): { frame: Frame; kind: Kind | 'good' }[] {
  // Seeded: the same "random" frames on every run, so a failure can be replayed.
  const rng = new Random(0x5eed);
  const random = () => rng.next();
  const pick = <T>(items: readonly T[]): T => rng.pick(items);
  const out: { frame: Frame; kind: Kind | 'good' }[] = [];
  const bad = (kind: Kind, k: number, payload: Uint8Array, device?: SimDevice) => {
    const on = device ?? testDevice(applicationId, KINDS[kind].base + k);
    out.push({ kind, frame: { topic: eventTopic(on, 'up'), payload } });
  };

  for (const device of registered)
    for (let fCnt = 0; fCnt < GOOD_PER_DEVICE; fCnt++)
      out.push({
        kind: 'good',
        frame: { topic: eventTopic(device, 'up'), payload: em310Uplink(device, fCnt, fCnt % 2 ? 'protobuf' : 'json') },
      });

  for (let k = 0; k < BAD_PER_KIND; k++) {
    const stranger = testDevice(applicationId, KINDS.unknownDevice.base + k);

    // Noise: 1..120 random bytes.
    bad(
      'random',
      k,
      Uint8Array.from({ length: 1 + Math.floor(random() * 120) }, () => Math.floor(random() * 256)),
    );

    // A real Protobuf uplink cut off inside one of its length-delimited fields (a cut between
    // fields would leave a shorter but valid message).
    const whole = simUplink(testDevice(applicationId, KINDS.truncated.base + k), k, 'protobuf');
    const field = pick(lengthDelimitedFields(whole).filter((f) => f.end - f.start >= 2));
    bad('truncated', k, whole.subarray(0, field.start + 1 + Math.floor(random() * (field.end - field.start - 1))));

    // ChirpStack JSON with one field of the wrong type.
    const json = JSON.parse(
      Buffer.from(simUplink(testDevice(applicationId, KINDS.wrongTypes.base + k), k + 1, 'json')).toString(),
    ) as Record<string, unknown> & { deviceInfo: Record<string, unknown> };
    const spoil = [
      () => {
        json.fPort = 'x';
      },
      () => {
        json.deviceInfo.devEui = 0x70b3d5 + k;
      },
      () => {
        json.data = `not base64! #${k}`;
      },
      () => {
        json.rxInfo = k % 2 ? { gatewayId: '0016c001f153a14c', rssi: -90 } : 'gateway';
      },
    ];
    spoil[k % spoil.length]?.();
    bad('wrongTypes', k, Buffer.from(JSON.stringify(json)));

    // A well-formed uplink from a device nobody registered, with no model tag to adopt it by.
    bad('unknownDevice', k, simUplink(stranger, k, k % 2 ? 'protobuf' : 'json'));

    // A registered EM310-UDL speaking on a port its codec does not know (it listens on 85 only).
    const device = pick(registered);
    const fPort = 1 + (k % 80);
    bad('unknownFPort', k, simUplink(device, 10_000 + k, k % 2 ? 'protobuf' : 'json', fPort), device);
  }

  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [out[i], out[j]] = [out[j] as (typeof out)[number], out[i] as (typeof out)[number]];
  }
  return out;
}

describe.each(ENGINE_KINDS)('malformed frames on %s engines', (kind) => {
  let engines: Engines | undefined;
  let service: IngestService | undefined;
  let api: SignedInServer | undefined;
  let publisher: MqttClient | undefined;

  beforeAll(async () => {
    engines = await startEngines(kind);
    service = await startTestIngest(engines);
    api = await platformServer(service);
    publisher = await mqtt.connectAsync(engines.mqttUrl, { clientId: `pub-${engines.applicationId}` });
  });

  afterAll(async () => {
    await bounded(() => publisher?.endAsync(true) ?? Promise.resolve(), 5_000);
    await bounded(() => api?.close() ?? Promise.resolve());
    await bounded(() => service?.close() ?? Promise.resolve());
    await bounded(() => engines?.close() ?? Promise.resolve());
  });

  it('dead-letters 1,000 bad frames with their reasons, stores the 1,000 good ones, and stays healthy', async () => {
    if (!engines || !service || !api || !publisher) throw new Error('engines did not start');
    const { db, applicationId } = engines;
    const registered = Array.from({ length: REGISTERED }, (_, n) => testDevice(applicationId, n + 1));
    for (const [n, device] of registered.entries()) {
      const res = await api.inject({
        method: 'POST',
        url: '/api/v1/devices',
        payload: { devEui: device.devEui, model: EM310, objectNumber: `СМ-09-${n}`, settings: SETTINGS },
      });
      expect(res.statusCode).toBe(201);
    }

    const stream = frames(applicationId, registered);
    await publishSteadily(publisher, stream.length, 2_000, (i) => (stream[i] as (typeof stream)[number]).frame).done;
    const good = REGISTERED * GOOD_PER_DEVICE;
    const bad = 5 * BAD_PER_KIND;
    await waitFor(
      'every frame to be stored or dead-lettered',
      async () =>
        (await count(db, 'uplinks')) === good &&
        (await count(db, 'dead_letters WHERE topic LIKE $1', [`application/${applicationId}/%`])) === bad,
      45_000,
    );
    await service.ingest.drain();

    // The good: all there, once, with all their readings.
    expect(await count(db, 'uplinks')).toBe(good);
    expect(await count(db, '(SELECT DISTINCT dev_eui, f_cnt FROM uplinks) k')).toBe(good);
    let readings = 0;
    for (let fCnt = 0; fCnt < GOOD_PER_DEVICE; fCnt++)
      readings += REGISTERED * readingsPerUplink(EM310, EM310_FPORT, em310Data(fCnt), SETTINGS);
    expect(await count(db, 'readings')).toBe(readings);

    // The bad: each kind dead-lettered whole, with its reason.
    const { rows } = await db.query<{ topic: string; reason: string }>(
      'SELECT topic, reason FROM dead_letters WHERE topic LIKE $1',
      [`application/${applicationId}/%`],
    );
    const seen = new Map<Kind, Map<string, number>>();
    for (const { topic, reason } of rows) {
      const devEui = topic.split('/')[3] ?? '';
      const base = Number.parseInt(devEui.slice(6, 14), 16) & 0xffff_0000;
      const kind = (Object.keys(KINDS) as Kind[]).find((k) => KINDS[k].base === base);
      if (!kind) throw new Error(`dead letter on an unexpected topic ${topic}`);
      const reasons = seen.get(kind) ?? new Map<string, number>();
      reasons.set(reason, (reasons.get(reason) ?? 0) + 1);
      seen.set(kind, reasons);
    }
    for (const [name, { reasons }] of Object.entries(KINDS) as [Kind, (typeof KINDS)[Kind]][]) {
      const got = seen.get(name) ?? new Map<string, number>();
      expect(
        [...got.values()].reduce((a, b) => a + b, 0),
        `${name} frames dead-lettered`,
      ).toBe(BAD_PER_KIND);
      for (const reason of got.keys())
        expect(reasons as readonly string[], `reason of a ${name} frame`).toContain(reason);
    }
    // The pipeline's own count of failures, by reason, agrees with the table.
    const { rows: byReason } = await db.query<{ reason: string; n: number }>(
      'SELECT reason, count(*)::int AS n FROM dead_letters WHERE topic LIKE $1 GROUP BY reason',
      [`application/${applicationId}/%`],
    );
    const failed = await service.ingest.metrics.failed.get();
    for (const { reason, n } of byReason)
      expect(failed.values.find((v) => v.labels.reason === reason)?.value, `failed{reason="${reason}"}`).toBe(n);
    expect(await counterValue(service.ingest.metrics.decoded)).toBe(good);

    // Still healthy, and still taking uplinks.
    const health = await api.inject({ url: '/api/v1/health' });
    expect(health.statusCode).toBe(200);
    expect(health.json()).toMatchObject({ status: 'ok', components: { db: { up: true }, mqtt: { up: true } } });
    const [first] = registered;
    if (!first) throw new Error('no device');
    await publisher.publishAsync(eventTopic(first, 'up'), Buffer.from(em310Uplink(first, GOOD_PER_DEVICE)), { qos: 1 });
    await waitFor('an uplink after the storm', async () => (await count(db, 'uplinks')) === good + 1);
  }, 90_000);
});
