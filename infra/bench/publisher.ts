import { makeFleet, OUTPUTS, uplink } from '@city/firmware-sim';
import mqtt from 'mqtt';

/**
 * The benchmark's load, in its own process so it does not share ingest's event loop: encodes
 * N ChirpStack uplink events first, tells the parent it is ready, then publishes them at QoS 1
 * as fast as the broker takes them.
 */
const [url, applicationId, countArg, devicesArg] = process.argv.slice(2);
const count = Number(countArg);
const base = Date.parse('2026-11-01T00:00:00Z');
const fleet = makeFleet({ count: Number(devicesArg), applicationId: applicationId as string, seed: 7, start: base });
const output = OUTPUTS.chirpstack({ marshaler: 'json' });
const messages = Array.from({ length: count }, (_, i) => {
  const device = fleet[i % fleet.length];
  if (!device) throw new Error('empty fleet');
  const [message] = output.messages({ type: 'up', device, uplink: uplink(device, base + i) });
  if (!message) throw new Error('the ChirpStack output made no message');
  return { topic: message.topic, payload: Buffer.from(message.payload) };
});
const bytes = messages.reduce((sum, m) => sum + m.payload.length, 0);

const client = await mqtt.connectAsync(url as string, { clientId: `bench-pub-${process.pid}`, protocolVersion: 5 });
process.send?.({ ready: true, avgBytes: Math.round(bytes / count) });
process.once('message', async () => {
  const started = performance.now();
  // Keep a bounded number of publishes in flight: enough to fill the pipe, not the heap.
  const window = 2000;
  let next = 0;
  const worker = async () => {
    while (next < messages.length) {
      const m = messages[next++] as (typeof messages)[number];
      await client.publishAsync(m.topic, m.payload, { qos: 1 });
    }
  };
  await Promise.all(Array.from({ length: window }, worker));
  process.send?.({ published: count, seconds: (performance.now() - started) / 1000 });
  await client.endAsync();
  process.exit(0);
});
