import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { type SimDevice, uplinkEvent } from '@city/firmware-sim';
import { type DeadLetterReason, type IngestService, migrate } from '@city/ingest';
import mqtt, { type IClientOptions, type MqttClient } from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { count, ENGINE_KINDS, type Engines, startEngines, TEST_SPOOL_DIR, waitFor } from '../support/engines.ts';
import { EM310, em310Data, em310Uplink, eventTopic, STREAM_EPOCH_MS, testDevice } from '../support/fleet.ts';
import { counterValue, startTestIngest } from '../support/ingest.ts';
import { bounded } from '../support/net.ts';
import { type Frame, publishSteadily } from '../support/stream.ts';

const REGISTERED = 5;
const GOOD_PER_DEVICE = 60;
const UNKNOWN = 50_000;
const ADOPT_PER_HOUR = 100;
const ADOPTION_FLOOD = 300;
/** Registered devices whose uplinks arrive as retained messages: a retained flood of good frames. */
const RETAINED_DEVICES = 200;
const RETAINED_PER_DEVICE = 5;
/** Sessions that subscribe to the events and go away, so the broker would queue for them. */
const OFFLINE_SESSIONS = 50;
/** Payloads beyond what a dead letter keeps: one any broker takes, and 5 MB, which a broker may refuse. */
const BIG_BYTES = [200 * 1024, 5 * 1024 * 1024];

/** Devices of each hostile kind are numbered from their own base, so a dead letter's devEui tells its kind. */
const BASE = { single: 0x10_0000, unknown: 0x20_0000, flood: 0x30_0000, retained: 0x40_0000 };

type Json = Record<string, unknown> & { deviceInfo: Record<string, unknown>; txInfo: Record<string, unknown> };

/** A ChirpStack JSON uplink of `device`, changed by `spoil`. */
function spoiled(device: SimDevice, fCnt: number, spoil: (e: Json) => void): Uint8Array {
  const event = JSON.parse(Buffer.from(em310Uplink(device, fCnt)).toString()) as Json;
  spoil(event);
  return Buffer.from(JSON.stringify(event));
}

interface Hostile {
  frame: Frame;
  reason: DeadLetterReason;
  /** How the dead letter's detail starts: it names the field. */
  detail: string;
}

/** One frame of each single hostile kind, each on a devEui of its own; `good` is a registered device. */
function singles(applicationId: string, good: SimDevice): Hostile[] {
  let n = BASE.single;
  const on = (payloadOf: (d: SimDevice) => Uint8Array, reason: DeadLetterReason, detail: string, tags = {}) => {
    const device = testDevice(applicationId, n++, tags);
    return { frame: { topic: eventTopic(device, 'up'), payload: payloadOf(device) }, reason, detail };
  };
  const json = (spoil: (e: Json) => void, detail: string) => on((d) => spoiled(d, 1, spoil), 'invalid_value', detail);
  return [
    json((e) => {
      e.deviceInfo.tags = { model: EM310, object: 'СМ-01\u0000' };
    }, 'deviceInfo.tags.object: holds NUL'),
    json((e) => {
      e.deviceInfo.deviceName = 'bin\u0000 7';
    }, 'deviceInfo.deviceName: holds NUL'),
    json((e) => {
      e.dr = 40_000;
    }, 'dr: 40000 is outside'),
    json((e) => {
      e.fCnt = 2 ** 33;
    }, 'fCnt: '),
    json((e) => {
      e.fPort = 300;
    }, 'fPort: 300 is outside'),
    json((e) => {
      e.txInfo.frequency = 10 ** 13;
    }, 'txInfo.frequency: '),
    json((e) => {
      e.time = '-100000-01-01T00:00:00Z';
    }, 'time: '),
    json((e) => {
      e.time = '+100000-01-01T00:00:00Z';
    }, 'time: '),
    json((e) => {
      e.time = new Date(Date.now() + 3 * 86_400_000).toISOString();
    }, 'time: '),
    // Protobuf floats can carry NaN, which JSON cannot.
    on(
      (d) =>
        uplinkEvent(
          {
            device: d,
            time: new Date(STREAM_EPOCH_MS),
            fCnt: 1,
            fPort: 85,
            data: em310Data(1),
            gatewayId: '0016c001f153a14c',
            rssi: -90,
            snr: Number.NaN,
            frequency: 868_100_000,
            dr: 5,
            spreadingFactor: 7,
          },
          'protobuf',
        ),
      'invalid_value',
      'rxInfo[0].snr: NaN',
    ),
    // A registered device's uplink published on another device's topic.
    on(() => em310Uplink(good, 10_000), 'dev_eui_mismatch', 'the topic names'),
  ];
}

/** Publishes one frame on a client of its own; a broker may refuse it (and close the connection). */
async function tryPublish(url: string, frame: Frame): Promise<'acked' | 'refused'> {
  const client = await mqtt.connectAsync(url, {
    clientId: `odd-${randomBytes(5).toString('hex')}`,
    reconnectPeriod: 0,
  });
  try {
    return await Promise.race([
      client.publishAsync(frame.topic, Buffer.from(frame.payload), { qos: 1 }).then(() => 'acked' as const),
      new Promise<'refused'>((resolve) => client.once('close', () => resolve('refused'))),
    ]);
  } catch {
    return 'refused';
  } finally {
    client.end(true);
  }
}

/** How a connect attempt ended: connected, or the CONNACK's refusal code. */
async function connectFate(url: string, opts: IClientOptions): Promise<'connected' | number> {
  try {
    const client = await mqtt.connectAsync(url, { reconnectPeriod: 0, connectTimeout: 5_000, ...opts });
    client.end(true);
    return 'connected';
  } catch (err) {
    return (err as { code?: number }).code ?? -1;
  }
}

/** What the attacks on the broker itself came to while the good frames flowed. */
interface BrokerAttacks {
  anonymous: 'connected' | number;
  /** Tried on the embedded broker only: on an open one it would end ingest's own session. */
  takeover: 'connected' | number | 'not tried';
  /** Offline sessions the broker let subscribe to the event topics (and so queue for). */
  queuingSessions: number;
}

/**
 * Attacks on the broker, run while good frames flow: an anonymous client, a client claiming
 * ingest's client id (on the embedded broker, the network server's own credentials are not
 * enough), and sessions that subscribe to the events and stay away. A broker that let any of
 * them through would hand them frames that are ingest's. The suite's real broker is this
 * machine's open Mosquitto: there the anonymous connect is only reported, and the takeover is
 * not tried (it would end ingest's session there, which is what the embedded broker prevents).
 * The deployment's Mosquitto config is tested against anonymous clients in infra/test/deploy.
 */
async function attackBroker(engines: Engines, ingestClientId: string): Promise<BrokerAttacks> {
  const { mqttUrl, applicationId, protocolVersion } = engines;
  const anonymousUrl = new URL(mqttUrl);
  anonymousUrl.username = '';
  anonymousUrl.password = '';
  const anonymous = await connectFate(anonymousUrl.toString(), { clientId: `anon-${applicationId}` });
  const takeover = engines.broker
    ? await connectFate(mqttUrl, { clientId: ingestClientId, clean: true })
    : ('not tried' as const);
  let queuingSessions = 0;
  for (let i = 0; i < OFFLINE_SESSIONS; i++) {
    const client = await mqtt.connectAsync(mqttUrl, {
      clientId: offlineSessionId(applicationId, i),
      clean: false,
      protocolVersion,
      ...(protocolVersion === 5 ? { properties: { sessionExpiryInterval: 60 } } : {}),
      reconnectPeriod: 0,
    });
    // The embedded broker's ACL refuses the network server a subscription to the events.
    const granted = await client.subscribeAsync(`application/${applicationId}/device/+/event/+`, { qos: 1 }).then(
      () => true,
      () => false,
    );
    if (granted) queuingSessions++;
    await client.endAsync();
  }
  return { anonymous, takeover, queuingSessions };
}

const offlineSessionId = (applicationId: string, i: number) => `away-${i}-${applicationId}`;

/** Ends the suite's offline sessions and clears its retained messages, so a shared broker keeps nothing of ours. */
async function cleanBroker(engines: Engines, retainedTopics: string[]): Promise<void> {
  const { mqttUrl, applicationId, protocolVersion } = engines;
  for (let i = 0; i < OFFLINE_SESSIONS; i++)
    await connectFate(mqttUrl, { clientId: offlineSessionId(applicationId, i), clean: true, protocolVersion });
  const client = await mqtt.connectAsync(mqttUrl, { clientId: `clean-${applicationId}`, reconnectPeriod: 0 });
  for (const topic of retainedTopics) await client.publishAsync(topic, Buffer.alloc(0), { qos: 1, retain: true });
  await client.endAsync();
}

describe.each(ENGINE_KINDS)('hostile input on %s engines', (kind) => {
  let engines: Engines | undefined;
  let service: IngestService | undefined;
  let publisher: MqttClient | undefined;
  let retainedTopics: string[] = [];

  beforeAll(async () => {
    engines = await startEngines(kind);
  });

  afterAll(async () => {
    await bounded(() => publisher?.endAsync(true) ?? Promise.resolve(), 5_000);
    if (engines) await bounded(cleanBroker(engines, retainedTopics));
    await bounded(() => service?.close() ?? Promise.resolve());
    await bounded(() => engines?.close() ?? Promise.resolve());
  });

  it('stores every good frame once and dead-letters each hostile one with its reason; then stops clean', async () => {
    if (!engines) throw new Error('engines did not start');
    const { db, applicationId } = engines;
    const registered = Array.from({ length: REGISTERED }, (_, n) => testDevice(applicationId, n + 1));
    const retainedDevices = Array.from({ length: RETAINED_DEVICES }, (_, n) =>
      testDevice(applicationId, BASE.retained + n),
    );
    retainedTopics = retainedDevices.map((d) => eventTopic(d, 'up'));
    await migrate(db);
    for (const d of [...registered, ...retainedDevices])
      await db.query('INSERT INTO devices (dev_eui, model) VALUES ($1, $2)', [d.devEui, EM310]);
    const clientId = `ingest-${applicationId}`;
    service = await startTestIngest({ ...engines, clientId, overrides: { adoptPerHour: ADOPT_PER_HOUR } });
    publisher = await mqtt.connectAsync(engines.mqttUrl, { clientId: `pub-${applicationId}` });
    const [first] = registered as [SimDevice];
    const deadLetters = (where: string, params: unknown[] = []) =>
      db.query<{ dev_eui: string | null; reason: string; detail: string; topic: string }>(
        `SELECT dev_eui, reason, detail, topic FROM dead_letters WHERE topic LIKE $1 ${where}`,
        [`application/${applicationId}/%`, ...params],
      );

    // Good frames with every single hostile kind among them; one good frame is dated 12 h
    // ahead (inside the window): stored, but it must not become its device's last-seen time.
    const hostile = singles(applicationId, first);
    const good: Frame[] = [];
    for (let fCnt = 0; fCnt < GOOD_PER_DEVICE; fCnt++)
      for (const d of registered) good.push({ topic: eventTopic(d, 'up'), payload: em310Uplink(d, fCnt) });
    const ahead = testDevice(applicationId, 1);
    good.push({
      topic: eventTopic(ahead, 'up'),
      payload: spoiled(ahead, GOOD_PER_DEVICE, (e) => {
        e.time = new Date(Date.now() + 12 * 3_600_000).toISOString();
      }),
    });
    const mixed = good.flatMap((frame, i) => {
      const h = i % 20 === 0 ? hostile[i / 20] : undefined;
      return h ? [frame, h.frame] : [frame];
    });
    // Meanwhile, a retained flood of good frames and the attacks on the broker.
    const retainer = await mqtt.connectAsync(engines.mqttUrl, { clientId: `retain-${applicationId}` });
    const retainedFlood = async () => {
      const flood = retainedDevices.flatMap((d) =>
        Array.from({ length: RETAINED_PER_DEVICE }, (_, fCnt) =>
          retainer.publishAsync(eventTopic(d, 'up'), Buffer.from(em310Uplink(d, fCnt)), { qos: 1, retain: true }),
        ),
      );
      await Promise.all(flood);
      await retainer.endAsync();
    };
    const [attacks] = await Promise.all([
      attackBroker(engines, clientId),
      retainedFlood(),
      publishSteadily(publisher, mixed.length, 200, (i) => mixed[i] as Frame).done,
    ]);
    if (kind === 'embedded') {
      expect(attacks.anonymous, 'an anonymous connect: bad user name or password').toBe(4);
      expect(attacks.takeover, "ingest's client id: identifier rejected").toBe(2);
      expect(attacks.queuingSessions, 'offline sessions allowed to queue events').toBe(0);
    }

    // NUL in the topic, and big payloads: a broker may refuse them; what it lets through is dead-lettered.
    const nulDevice = testDevice(applicationId, BASE.single + 0xfff);
    const nulFate = await tryPublish(engines.mqttUrl, {
      topic: `application/${applicationId}/device/${nulDevice.devEui}\u0000/event/up`,
      payload: em310Uplink(nulDevice, 1),
    });
    const big = [];
    for (const [i, bytes] of BIG_BYTES.entries()) {
      const device = testDevice(applicationId, BASE.single + 0xff0 + i);
      const frame = {
        topic: eventTopic(device, 'up'),
        payload: spoiled(device, 1, (e) => {
          e.deviceInfo.deviceName = 'x'.repeat(bytes);
        }),
      };
      big.push({ device, bytes: frame.payload.length, fate: await tryPublish(engines.mqttUrl, frame) });
    }

    // 50,000 made-up devEuis without a model tag, and a zero-touch flood of 300 with one.
    const flood = (i: number): Frame => {
      if (i < UNKNOWN) {
        const d = testDevice(applicationId, BASE.unknown + i);
        return { topic: eventTopic(d, 'up'), payload: em310Uplink(d, 1) };
      }
      const d = testDevice(applicationId, BASE.flood + i - UNKNOWN, { model: EM310 });
      return { topic: eventTopic(d, 'up'), payload: em310Uplink(d, 1) };
    };
    await publishSteadily(publisher, UNKNOWN + ADOPTION_FLOOD, 10_000, flood).done;
    // Good frames still go through after the flood.
    for (const d of registered)
      await publisher.publishAsync(eventTopic(d, 'up'), Buffer.from(em310Uplink(d, GOOD_PER_DEVICE + 1)), { qos: 1 });

    const goods = good.length + REGISTERED;
    const expectedLetters =
      hostile.length + UNKNOWN + (nulFate === 'acked' ? 1 : 0) + big.filter((b) => b.fate === 'acked').length;
    const registeredEuis = registered.map((d) => d.devEui);
    const retainedEuis = retainedDevices.map((d) => d.devEui);
    const retainedGoods = RETAINED_DEVICES * RETAINED_PER_DEVICE;
    await waitFor(
      'every good frame stored and every hostile one dead-lettered',
      async () =>
        (await count(db, 'uplinks WHERE dev_eui = ANY($1)', [registeredEuis])) === goods &&
        (await count(db, 'uplinks WHERE dev_eui = ANY($1)', [retainedEuis])) === retainedGoods &&
        (await count(db, "dead_letters WHERE topic LIKE $1 AND reason <> 'adoption_limit'", [
          `application/${applicationId}/%`,
        ])) === expectedLetters,
      120_000,
    );
    await service.ingest.drain();

    // The good: each stored once.
    expect(await count(db, 'uplinks WHERE dev_eui = ANY($1)', [registeredEuis])).toBe(goods);
    expect(
      await count(db, '(SELECT DISTINCT dev_eui, time, f_cnt FROM uplinks WHERE dev_eui = ANY($1)) u', [
        registeredEuis,
      ]),
    ).toBe(goods);
    expect(
      await count(db, '(SELECT DISTINCT dev_eui, time, f_cnt FROM uplinks WHERE dev_eui = ANY($1)) u', [retainedEuis]),
    ).toBe(retainedGoods);
    // The frame dated ahead did not move its device into the future.
    await service.ingest.state.flush(db);
    const { rows: seen } = await db.query<{ last_seen: Date }>('SELECT last_seen FROM devices WHERE dev_eui = $1', [
      ahead.devEui,
    ]);
    expect(seen[0]?.last_seen.getTime()).toBeLessThanOrEqual(Date.now());

    // The single kinds: each dead-lettered with its reason, the field named.
    for (const h of hostile) {
      const devEui = h.frame.topic.split('/')[3];
      const { rows } = await deadLetters('AND dev_eui = $2', [devEui]);
      expect(
        rows.map((r) => r.reason),
        h.detail,
      ).toEqual([h.reason]);
      expect(rows[0]?.detail.startsWith(h.detail), `${rows[0]?.detail} starts with ${h.detail}`).toBe(true);
    }
    if (nulFate === 'acked') {
      const { rows } = await deadLetters("AND detail LIKE 'topic:%'");
      expect(rows).toEqual([expect.objectContaining({ reason: 'invalid_value', dev_eui: null })]);
    }
    expect(big[0]?.fate, 'a 200 KB payload').toBe('acked');
    for (const { device, bytes, fate } of big) {
      if (fate !== 'acked') continue;
      const { rows } = await db.query<{ kept: number; size: number; reason: string }>(
        'SELECT octet_length(payload) AS kept, payload_bytes AS size, reason FROM dead_letters WHERE dev_eui = $1',
        [device.devEui],
      );
      expect(rows).toEqual([{ kept: 64 * 1024, size: bytes, reason: 'invalid_value' }]);
    }
    // The flood: unknown devices dead-lettered, the negative cache bounded, adoption capped.
    expect(
      await count(db, "dead_letters WHERE topic LIKE $1 AND reason = 'unknown_device'", [
        `application/${applicationId}/%`,
      ]),
    ).toBe(UNKNOWN);
    expect(service.registry.unknownSize).toBeLessThanOrEqual(10_000);
    const adopted = await count(db, 'devices WHERE dev_eui LIKE $1', [
      `${testDevice(applicationId, BASE.flood).devEui.slice(0, 10)}%`,
    ]);
    expect(adopted).toBeGreaterThanOrEqual(ADOPT_PER_HOUR);
    expect(adopted).toBeLessThanOrEqual(ADOPT_PER_HOUR + 2); // the allowance refills while the test runs
    expect(
      await count(db, "dead_letters WHERE topic LIKE $1 AND reason = 'adoption_limit'", [
        `application/${applicationId}/%`,
      ]),
    ).toBe(ADOPTION_FLOOD - adopted);
    expect(await counterValue(service.ingest.metrics.decoded)).toBeGreaterThanOrEqual(goods);
    console.info(
      `hostile input on ${kind}: NUL topic ${nulFate}, 5 MB payload ${big[1]?.fate}, ` +
        `anonymous ${attacks.anonymous}, takeover ${attacks.takeover}, ${attacks.queuingSessions} offline sessions queuing`,
    );
  }, 300_000);

  it('stops within 10 s, and the next start replays nothing', async () => {
    if (!engines || !service) throw new Error('the hostile run did not start');
    const started = Date.now();
    await service.close();
    service = undefined;
    expect(Date.now() - started).toBeLessThan(10_000);
    // A start replays what its client id's spool holds: the stop committed everything and
    // deleted it. (close() closed the suite's database too; the pnpm start suite restarts.)
    expect(existsSync(join(TEST_SPOOL_DIR, `ingest-${engines.applicationId}`))).toBe(false);
  }, 30_000);
});
