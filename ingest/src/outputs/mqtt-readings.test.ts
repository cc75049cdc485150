import { randomBytes } from 'node:crypto';
import { pino } from 'pino';
import { Registry } from 'prom-client';
import { afterAll, describe, expect, it } from 'vitest';
import type { Reading } from '../contract/reading.ts';
import { decodeReadings, encodeReadings, ReadingsMessageError } from '../contract/readings-message.ts';
import { READINGS_TOPIC } from '../contract/topics.ts';
import { mayPublish, networkServerAccount } from '../mqtt/broker-accounts.ts';
import { startEmbeddedBroker } from '../mqtt/embedded-broker.ts';
import { mqttReadingsOutput } from './mqtt-readings.ts';
import { subscribeReadings } from './readings-subscription.ts';

const quiet = pino({ level: 'silent' });

/** A frame's readings: one device, one object, one time, several metrics. */
function frame(timeMs: number, devEui: string, objectNumber: string | null, values: Record<string, number>): Reading[] {
  return Object.entries(values).map(([metric, value]) => ({ timeMs, devEui, objectNumber, metric, value }));
}

describe('readings messages', () => {
  const readings = [
    ...frame(1_764_000_000_000, '24e124713b172430', 'СМ-03-00017', { fill_level: 42.5, distance: 640, tilt: 0 }),
    ...frame(1_764_000_000_500, '24e124713b172431', null, { battery: 97 }),
    ...frame(1_764_000_001_000, '24e124713b172430', 'СМ-03-00017', { fill_level: 43 }),
  ];

  it('carry a batch as it was, each frame, text and metric name written once', () => {
    const [message, ...more] = encodeReadings(readings);
    expect(more).toEqual([]);
    expect(message?.readings).toBe(5);
    // version, 4 names, 3 texts, 3 frames of 17 bytes, 5 readings of 9
    const names = 1 + 4 * 1 + 'fill_level distance tilt battery'.replaceAll(' ', '').length;
    const texts = 4 + 3 * 2 + 16 + 16 + new TextEncoder().encode('СМ-03-00017').length;
    expect(message?.payload.length).toBe(1 + names + texts + 4 + 3 * 17 + 5 * 9);
    expect(decodeReadings(message?.payload ?? new Uint8Array())).toEqual(readings);
  });

  it('carry any text as UTF-8: Cyrillic, Latin, characters beyond the BMP', () => {
    const texts = frame(1, 'a1', 'Пс-01 𝔸 x"\\', { pm25: -0.5, pm10: 1e300 });
    expect(decodeReadings(encodeReadings(texts)[0]?.payload ?? new Uint8Array())).toEqual(texts);
  });

  it('slice a large batch into messages of whole frames', () => {
    const messages = encodeReadings(readings, 2);
    expect(messages.map((m) => m.readings)).toEqual([4, 1]);
    expect(messages.flatMap((m) => decodeReadings(m.payload))).toEqual(readings);
    expect(encodeReadings([])).toEqual([]);
  });

  const good = encodeReadings(readings)[0]?.payload ?? new Uint8Array();
  const changed = (at: number, byte: number) => {
    const copy = Uint8Array.from(good);
    copy[at] = byte;
    return copy;
  };
  // The first frame's time starts after the header: version, names, texts and the frame count.
  const firstFrame = good.length - (3 * 17 + 5 * 9) - 4 + 4;
  it.each([
    ['an empty payload', new Uint8Array()],
    ['another version', changed(0, 2)],
    ['a message cut short', good.subarray(0, good.length - 3)],
    ['bytes after the last frame', Uint8Array.from([...good, 0])],
    ['a frame naming a text it does not hold', changed(firstFrame + 8, 9)],
    ['a reading naming a metric it does not hold', changed(firstFrame + 17, 9)],
    [
      'a value that is not a number',
      (() => {
        const copy = Uint8Array.from(good);
        new DataView(copy.buffer).setFloat64(firstFrame + 18, Number.NaN, true);
        return copy;
      })(),
    ],
    ['text that is not UTF-8', changed(1 + 2 + 10, 0xff)],
  ])('refuse %s', (_what, payload) => {
    expect(() => decodeReadings(payload)).toThrow(ReadingsMessageError);
  });

  it('cost less to write than the JSON of the same batch', () => {
    const batch = Array.from({ length: 2000 }, (_, i) =>
      frame(1_764_000_000_000 + i, `24e12471${String(i).padStart(8, '0')}`, `СМ-03-${String(i).padStart(5, '0')}`, {
        battery: 90,
        distance: 600 + i,
        fill_level: i / 20,
        tilt: 0,
      }),
    ).flat();
    // Warm: ingest encodes a batch after every commit, so what counts is the compiled code's cost.
    const time = (encode: () => unknown) => {
      for (let k = 0; k < 30; k++) encode();
      const started = performance.now();
      for (let k = 0; k < 30; k++) encode();
      return ((performance.now() - started) / 30 / 2000) * 1000;
    };
    const binary = time(() => encodeReadings(batch));
    const json = time(() => JSON.stringify(batch));
    console.log(
      `readings message: ${binary.toFixed(2)} µs an uplink to encode; JSON.stringify of it ${json.toFixed(2)} µs`,
    );
    expect(binary).toBeLessThan(json);
  });
});

describe('readings over the broker', async () => {
  const topic = `${READINGS_TOPIC}/test-${randomBytes(4).toString('hex')}`;
  const ingestAccount = {
    username: 'ingest',
    password: randomBytes(9).toString('hex'),
    publish: [topic],
    subscribe: [],
  };
  const twinAccount = { username: 'twin', password: randomBytes(9).toString('hex'), publish: [], subscribe: [topic] };
  const broker = await startEmbeddedBroker({
    port: 0,
    host: '127.0.0.1',
    accounts: [ingestAccount, twinAccount],
    reservedClientId: 'nobody',
    log: quiet,
  });
  const url = (account: { username: string; password: string }) => {
    const u = new URL(broker.url);
    u.username = account.username;
    u.password = account.password;
    return u.toString();
  };
  afterAll(() => broker.close());

  it('reach a subscribed process as they were committed, and are counted', async () => {
    const heard: Reading[] = [];
    const subscription = await subscribeReadings(
      { url: url(twinAccount), clientId: 'twin-test', topic, log: quiet, protocolVersion: 4 },
      (readings) => heard.push(...readings),
    );
    const registry = new Registry();
    const output = mqttReadingsOutput({
      url: url(ingestAccount),
      clientId: 'ingest-test',
      topic,
      protocolVersion: 4,
      log: quiet,
      registry,
    });
    const batches = Array.from({ length: 5 }, (_, b) =>
      Array.from({ length: 300 }, (_, i) =>
        frame(
          1_764_000_000_000 + b * 1000 + i,
          `24e12471${String(i).padStart(8, '0')}`,
          `ОП-01-${String(i).padStart(5, '0')}`,
          {
            lamp_on: 1,
            power: 40 + b,
          },
        ),
      ).flat(),
    );
    for (const batch of batches) output.deliver(batch);
    await output.close();
    await expect.poll(() => heard.length, { timeout: 10_000 }).toBe(3000);
    expect(heard).toEqual(batches.flat());
    const published = await registry.getSingleMetric('ingest_readings_published_total')?.get();
    expect(published?.values[0]?.value).toBe(3000);
    await subscription.close();
  });

  it('is refused to an account the broker does not let read it, and says so', async () => {
    await expect(
      subscribeReadings(
        { url: url(ingestAccount), clientId: 'not-a-reader', topic, log: quiet, protocolVersion: 4, timeoutMs: 1500 },
        () => {},
      ),
    ).rejects.toThrow(`no subscription to ${topic} within 1.5 s`);
  });

  it("is a topic the network server's account may not publish to", () => {
    expect(mayPublish(networkServerAccount('chirpstack', 'x'), READINGS_TOPIC)).toBe(false);
  });
});
