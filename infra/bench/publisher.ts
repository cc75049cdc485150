import { once } from 'node:events';
import { connect } from 'node:net';
import { makeFleet, OUTPUTS, uplink } from '@city/firmware-sim';
import mqttPacket from 'mqtt-packet';

/**
 * The benchmark's load, in its own process so it does not share ingest's event loop: encodes
 * N ChirpStack uplink events as MQTT v5 PUBLISH packets (QoS 1) first, tells the parent it is
 * ready, then writes them to the broker as fast as it acknowledges them.
 *
 * It speaks MQTT with mqtt-packet over a bare socket rather than through an MQTT client: in
 * production ChirpStack publishes from another machine, and here every cycle the load
 * generator spends is taken from the two cores ingest, the broker and PostgreSQL share.
 * Everything else is as a client would do it: QoS 1, a bounded window of unacknowledged
 * messages, each acknowledged by the broker before it counts as published.
 */
const V5 = { protocolVersion: 5 } as const;
const [url, applicationId, countArg, devicesArg] = process.argv.slice(2);
const count = Number(countArg);
const base = Date.parse('2026-11-01T00:00:00Z');
const fleet = makeFleet({ count: Number(devicesArg), applicationId: applicationId as string, seed: 7, start: base });
const output = OUTPUTS.chirpstack({ marshaler: 'json' });
let bytes = 0;
const packets = Array.from({ length: count }, (_, i) => {
  const device = fleet[i % fleet.length];
  if (!device) throw new Error('empty fleet');
  const [message] = output.messages({ type: 'up', device, uplink: uplink(device, base + i) });
  if (!message) throw new Error('the ChirpStack output made no message');
  bytes += message.payload.length;
  // Packet identifiers go round 1..65535; far more than the window are ever unacknowledged.
  return mqttPacket.generate(
    {
      cmd: 'publish',
      qos: 1,
      dup: false,
      retain: false,
      messageId: (i % 65_535) + 1,
      topic: message.topic,
      payload: Buffer.from(message.payload),
    },
    V5,
  );
});

const { hostname, port } = new URL(url as string);
const socket = connect(Number(port), hostname);
socket.setNoDelay(true);
const parser = mqttPacket.parser({ protocolVersion: 5 });
socket.on('data', (chunk) => parser.parse(chunk));
await once(socket, 'connect');
socket.write(
  mqttPacket.generate({
    cmd: 'connect',
    protocolId: 'MQTT',
    protocolVersion: 5,
    clientId: `bench-pub-${process.pid}`,
    clean: true,
    keepalive: 0,
  }),
);
const [connack] = (await once(parser, 'packet')) as [mqttPacket.IConnackPacket];
if (connack.cmd !== 'connack' || (connack.reasonCode ?? 0) !== 0)
  throw new Error('the broker refused the benchmark publisher');
process.send?.({ ready: true, avgBytes: Math.round(bytes / count) });

process.once('message', () => {
  const started = performance.now();
  const cpu = process.cpuUsage();
  const window = 2000;
  let sent = 0;
  let acknowledged = 0;
  const send = () => {
    socket.cork();
    while (sent < count && sent - acknowledged < window) socket.write(packets[sent++] as Buffer);
    socket.uncork();
  };
  parser.on('packet', (packet: mqttPacket.Packet) => {
    if (packet.cmd !== 'puback') return;
    // MQTT v5: a reason code of 0x80 or more is a refusal, not an acknowledgement.
    if ((packet.reasonCode ?? 0) >= 0x80) throw new Error(`the broker refused a publish: reason ${packet.reasonCode}`);
    acknowledged++;
    if (acknowledged === count) {
      const used = process.cpuUsage(cpu);
      process.send?.({
        published: count,
        seconds: (performance.now() - started) / 1000,
        cpuSeconds: (used.user + used.system) / 1e6,
      });
      socket.end(mqttPacket.generate({ cmd: 'disconnect' }, V5), () => process.exit(0));
    } else if (sent - acknowledged <= window / 2) send();
  });
  send();
});
