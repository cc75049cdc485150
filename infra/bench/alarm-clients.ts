import type { AlarmStreamEvent, ReadingBatchWire } from '@city/twin/contract';
import mqtt from 'mqtt';
import { io, type Socket } from 'socket.io-client';

/**
 * `pnpm bench alarms`' audience, in a process of its own: socket.io clients on the platform's
 * stream (as demo kiosks) - `walls` wall screens in no room (everything: every alarm, every
 * reading) and the rest dispatcher desks, each in the room of one district (its alarms and
 * readings). Each notes when each alarm event reaches it, by the device and reading time that
 * raised or counted it. The baseline: one plain MQTT subscriber noting when each uplink itself
 * reaches it from the broker. Given the publisher's send times, answers the latencies.
 */
const [streamUrl, mqttUrl, eventTopic, clientsArg, wallsArg, districtsArg] = process.argv.slice(2) as string[];
const now = () => performance.timeOrigin + performance.now();
const districts = (districtsArg as string).split(',');
const walls = Number(wallsArg);

/** `${devEui}|${reading ms}` -> the time each client got its alarm event. */
const received = new Map<string, number[]>();
/** The same key -> when the alarm's write began (its `updatedAt`, the transaction's start), and its district. */
const written = new Map<string, { at: number; district: string | null }>();
/** `${devEui}|${uplink ms}` -> when the uplink reached a plain subscriber. */
const mqttReceived = new Map<string, number>();
let readingBatches = 0;
let readingValues = 0;

/** Desks per district: who should get an alarm of that district, besides the walls. */
const desks = new Map<string, number>();
const sockets: Socket[] = [];
for (let i = 0; i < Number(clientsArg); i++) {
  const district = i < walls ? undefined : (districts[i % districts.length] as string);
  if (district) desks.set(district, (desks.get(district) ?? 0) + 1);
  const socket = io(streamUrl as string, {
    transports: ['websocket'],
    auth: district ? { rooms: { districts: [district] } } : {},
    reconnection: false,
  });
  socket.on('alarm', (event: AlarmStreamEvent) => {
    if (event.action !== 'raised' && event.action !== 'repeated') return;
    const key = `${event.alarm.devEui}|${Date.parse(event.alarm.lastReadingAt)}`;
    const at = now();
    written.set(key, { at: Date.parse(event.alarm.updatedAt), district: event.alarm.district });
    const list = received.get(key);
    if (list) list.push(at);
    else received.set(key, [at]);
  });
  socket.on('reading', (batch: ReadingBatchWire) => {
    readingBatches++;
    // Counted from the column's size: the clients' share of the two cores is the platform's loss.
    readingValues += batch.values.byteLength / Float64Array.BYTES_PER_ELEMENT;
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
const subscriber = await mqtt.connectAsync(mqttUrl as string, {
  clientId: `bench-baseline-${process.pid}`,
  protocolVersion: 5,
});
subscriber.on('message', (_topic, payload) => {
  const at = now();
  // Only the fields the key needs, without parsing every uplink's JSON on the measured path.
  const text = payload.toString('latin1', 0, 400);
  const time = /"time":"([^"]+)"/.exec(text)?.[1];
  const devEui = /"devEui":"([0-9a-f]{16})"/.exec(text)?.[1];
  if (time && devEui) mqttReceived.set(`${devEui}|${Date.parse(time)}`, at);
});
await subscriber.subscribeAsync(eventTopic as string, { qos: 0 });
process.send?.({ connected: sockets.length });

process.on('message', async (message: { sent: [key: string, at: number][] } | 'stop') => {
  if (message === 'stop') {
    for (const s of sockets) s.close();
    await subscriber.endAsync(true);
    process.exit(0);
  }
  const latencies: number[] = [];
  const mqttLatencies: number[] = [];
  /** Publish -> the alarm's write began; the write began -> a client has it. */
  const toWrite: number[] = [];
  const fromWrite: number[] = [];
  let missing = 0;
  for (const [key, sentAt] of message.sent) {
    const times = received.get(key) ?? [];
    const write = written.get(key);
    // The walls get every alarm, a district's desks its alarms (an alarm nobody got: all of them missed it).
    missing +=
      (write ? walls + (write.district === null ? 0 : (desks.get(write.district) ?? 0)) : sockets.length) -
      times.length;
    for (const t of times) latencies.push(t - sentAt);
    if (write) {
      toWrite.push(write.at - sentAt);
      for (const t of times) fromWrite.push(t - write.at);
    }
    const heard = mqttReceived.get(key);
    if (heard !== undefined) mqttLatencies.push(heard - sentAt);
  }
  process.send?.({ latencies, mqttLatencies, toWrite, fromWrite, missing, readingBatches, readingValues });
});
