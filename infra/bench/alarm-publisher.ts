import { once } from 'node:events';
import { connect } from 'node:net';
import mqttPacket from 'mqtt-packet';
import { fillUplink, WILSEN } from '../test/support/fleet.ts';

/**
 * `pnpm bench alarms`' load, in a process of its own: bin sensors (Pepperl+Fuchs WILSEN, which
 * report their fill level) publishing ChirpStack uplinks at QoS 1 at a steady rate, every
 * hundredth one full (90 %, over the shipped rule's 85 %), the rest at 40 % (which clears).
 * First one uplink per device, so every device is registered (zero-touch) before the measured
 * part; then `rate` a second for `seconds`, paced every few milliseconds. Packets are encoded
 * before the start; the send time of each full uplink is noted as it is written to the socket.
 * Speaks MQTT with mqtt-packet over a bare socket, as `publisher.ts` does, to spare the CPU.
 */
const [url, applicationId, rateArg, secondsArg, devicesArg] = process.argv.slice(2) as string[];
const rate = Number(rateArg);
const devices = Number(devicesArg);
const total = rate * Number(secondsArg);
const V5 = { protocolVersion: 5 } as const;
/** Every hundredth uplink crosses the threshold: 1 %. */
const CROSSING_EVERY = 100;
const PACE_MS = 4;

const devEui = (d: number) => `b1${d.toString(16).padStart(14, '0')}`;
const base = Date.now() - 3_600_000;
interface Planned {
  packet: Buffer;
  /** `${devEui}|${time ms}` of a full uplink, for the latency; undefined for the others. */
  key: string | undefined;
}
/** The demo city's bins the sensors are on, from the parent. */
const [{ bins }] = (await once(process, 'message')) as [{ bins: string[] }];
function planned(i: number, d: number, full: boolean): Planned {
  const device = {
    devEui: devEui(d),
    devAddr: d.toString(16).padStart(8, '0'),
    applicationId: applicationId as string,
    name: `bench-bin-${d}`,
    profileName: WILSEN,
    tags: { model: WILSEN, object: bins[d] as string },
  };
  const time = base + i;
  const payload = fillUplink(device, i, time, full ? 90 : 40);
  const packet = mqttPacket.generate(
    {
      cmd: 'publish',
      qos: 1,
      dup: false,
      retain: false,
      messageId: (i % 65_535) + 1,
      topic: `application/${applicationId}/device/${device.devEui}/event/up`,
      payload: Buffer.from(payload),
    },
    V5,
  );
  return { packet, key: full ? `${device.devEui}|${time}` : undefined };
}

const priming = Array.from({ length: devices }, (_, d) => planned(d, d, false));
const steady = Array.from({ length: total }, (_, n) => {
  const i = devices + n;
  return planned(i, i % devices, n % CROSSING_EVERY === 0);
});

const { hostname, port } = new URL(url as string);
const socket = connect(Number(port), hostname);
socket.setNoDelay(true);
const parser = mqttPacket.parser(V5);
socket.on('data', (chunk) => parser.parse(chunk));
await once(socket, 'connect');
socket.write(
  mqttPacket.generate({
    cmd: 'connect',
    protocolId: 'MQTT',
    protocolVersion: 5,
    clientId: `bench-alarm-pub-${process.pid}`,
    clean: true,
    keepalive: 0,
  }),
);
const [connack] = (await once(parser, 'packet')) as [mqttPacket.IConnackPacket];
if (connack.cmd !== 'connack' || (connack.reasonCode ?? 0) !== 0) throw new Error('the broker refused the publisher');
let acknowledged = 0;
parser.on('packet', (packet: mqttPacket.Packet) => {
  if (packet.cmd !== 'puback') return;
  if ((packet.reasonCode ?? 0) >= 0x80) throw new Error(`the broker refused a publish: reason ${packet.reasonCode}`);
  acknowledged++;
});
for (const p of priming) socket.write(p.packet);
process.send?.({ ready: true });

process.once('message', () => {
  const sent: [string, number][] = [];
  const started = performance.now();
  const cpu = process.cpuUsage();
  let next = 0;
  const timer = setInterval(() => {
    // As many as should have left by now: a late tick catches up rather than drifting.
    const due = Math.min(total, Math.floor(((performance.now() - started) / 1000) * rate));
    socket.cork();
    for (; next < due; next++) {
      const p = steady[next] as Planned;
      socket.write(p.packet);
      if (p.key) sent.push([p.key, performance.timeOrigin + performance.now()]);
    }
    socket.uncork();
    if (next < total) return;
    clearInterval(timer);
    const seconds = (performance.now() - started) / 1000;
    const used = process.cpuUsage(cpu);
    const waitAcks = setInterval(() => {
      if (acknowledged < devices + total) return;
      clearInterval(waitAcks);
      process.send?.({ sent, seconds, cpuSeconds: (used.user + used.system) / 1e6 });
    }, 20);
  }, PACE_MS);
});
