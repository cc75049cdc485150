import { type AlarmStreamEvent, decodeReadingBatch, type ReadingBatchWire } from '@city/twin/contract';
import mqtt from 'mqtt';
import { io, type Socket } from 'socket.io-client';

/**
 * `pnpm bench alarms`' audience, in a process of its own: N socket.io clients on the platform's
 * stream (as a demo kiosk, in no room: everything), each noting when each alarm event reaches it,
 * by the device and reading time that raised or counted it; and, as the baseline, one plain MQTT
 * subscriber noting when each uplink itself reaches it from the broker. Given the publisher's
 * send times, answers the latencies.
 */
const [streamUrl, mqttUrl, eventTopic, clientsArg] = process.argv.slice(2) as [string, string, string, string];
const now = () => performance.timeOrigin + performance.now();

/** `${devEui}|${reading ms}` -> the time each client got its alarm event. */
const received = new Map<string, number[]>();
/** `${devEui}|${uplink ms}` -> when the uplink reached a plain subscriber. */
const mqttReceived = new Map<string, number>();
let readingBatches = 0;
let readingValues = 0;

const sockets: Socket[] = [];
for (let i = 0; i < Number(clientsArg); i++) {
  const socket = io(streamUrl, { transports: ['websocket'], auth: {}, reconnection: false });
  socket.on('alarm', (event: AlarmStreamEvent) => {
    if (event.action !== 'raised' && event.action !== 'repeated') return;
    const key = `${event.alarm.devEui}|${Date.parse(event.alarm.lastReadingAt)}`;
    const at = now();
    const list = received.get(key);
    if (list) list.push(at);
    else received.set(key, [at]);
  });
  socket.on('reading', (batch: ReadingBatchWire) => {
    readingBatches++;
    readingValues += decodeReadingBatch(batch).values.length;
  });
  sockets.push(socket);
}
await Promise.all(
  sockets.map(
    (s) =>
      new Promise<void>((resolve, reject) => {
        s.once('connect', () => resolve());
        s.once('connect_error', reject);
      }),
  ),
);
const subscriber = await mqtt.connectAsync(mqttUrl, { clientId: `bench-baseline-${process.pid}`, protocolVersion: 5 });
subscriber.on('message', (_topic, payload) => {
  const at = now();
  // Only the fields the key needs, without parsing every uplink's JSON on the measured path.
  const text = payload.toString('latin1', 0, 400);
  const time = /"time":"([^"]+)"/.exec(text)?.[1];
  const devEui = /"devEui":"([0-9a-f]{16})"/.exec(text)?.[1];
  if (time && devEui) mqttReceived.set(`${devEui}|${Date.parse(time)}`, at);
});
await subscriber.subscribeAsync(eventTopic, { qos: 0 });
process.send?.({ connected: sockets.length });

process.on('message', async (message: { sent: [key: string, at: number][] } | 'stop') => {
  if (message === 'stop') {
    for (const s of sockets) s.close();
    await subscriber.endAsync(true);
    process.exit(0);
  }
  const latencies: number[] = [];
  const mqttLatencies: number[] = [];
  let missing = 0;
  for (const [key, sentAt] of message.sent) {
    const times = received.get(key) ?? [];
    missing += sockets.length - times.length;
    for (const t of times) latencies.push(t - sentAt);
    const heard = mqttReceived.get(key);
    if (heard !== undefined) mqttLatencies.push(heard - sentAt);
  }
  process.send?.({ latencies, mqttLatencies, missing, readingBatches, readingValues });
});
