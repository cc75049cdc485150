import { parseArgs } from 'node:util';
import type { Marshaler } from '../chirpstack/events.ts';
import { DEMO_DEVICES } from '../city/index.ts';
import { isOutputName, type OutputName } from '../outputs/index.ts';
import { findScenario, SCENARIOS, type Scenario } from '../scenarios/index.ts';

export interface SimOptions {
  devices: number;
  /** simulated seconds per real second; Infinity = as fast as the broker takes it */
  speed: number;
  scenarios: Scenario[];
  /** seconds after the start when the scenarios begin */
  scenarioAtS: number;
  mqtt: string;
  marshaler: Marshaler;
  output: OutputName;
  seed: number;
  /** simulated seconds to play; undefined = until interrupted */
  durationS?: number;
  start: number;
  applicationId: string;
  timestamps: 'simulated' | 'wall';
  qos: 0 | 1;
  /** write the city's GeoJSON (and its devices beside it) here, then stop */
  writeCity?: string;
  /** play a city's own GeoJSON instead of the demo city */
  objects?: string;
}

export class UsageError extends Error {}

export const USAGE = `Usage: pnpm sim [options]

Plays the demo city's devices (or a city's own objects) against an MQTT broker, as ChirpStack
would publish them or as gateways would forward their LoRaWAN frames.

  --devices N          devices to play (default ${DEMO_DEVICES}, the demo city's fleet)
  --speed X|max        simulated seconds per real second (default 60); max: as fast as the broker takes
  --scenario NAME      start a scripted incident (repeat or comma-separate for several):
${SCENARIOS.map((s) => `                         ${s.name.padEnd(9)} ${s.summary}`).join('\n')}
  --scenario-at S      simulated seconds after the start when scenarios begin (default 60)
  --mqtt URL           broker, credentials in the URL: mqtt://user:password@host:port
                       (default mqtt://127.0.0.1:1883; pnpm start's account: chirpstack:chirpstack-demo)
  --output NAME        chirpstack: integration events on application/{app}/device/{devEui}/event/{up|join}
                       gateway: LoRaWAN frames as gw.UplinkFrame on eu868/gateway/{id}/event/up
                       (default chirpstack)
  --marshaler FORMAT   json or protobuf, for the chirpstack output (default json)
  --seed N             the same seed plays the same city and the same events (default 1)
  --duration S         simulated seconds to play, then stop (default: until Ctrl-C; required with --speed max)
  --start ISO-TIME     simulated start (default now)
  --timestamps KIND    simulated (default) or wall: stamp events with the moment they are sent
  --application ID     ChirpStack application id in topics and events (default demo-city)
  --qos 0|1            MQTT QoS of the publishes (default 1)
  --write-city FILE    write the city as GeoJSON to FILE and its devices to FILE.devices.json, then stop
  --objects FILE       play devices bound to a city's own GeoJSON objects instead of the demo city
  --help               this text
`;

/** The command line as options, or a UsageError naming the first thing wrong with it. */
export function parseOptions(argv: string[], now = Date.now()): SimOptions | 'help' {
  let parsed: ReturnType<typeof parse>;
  try {
    parsed = parse(argv);
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
  const v = parsed.values;
  if (v.help) return 'help';
  const durationS = v.duration === undefined ? undefined : positive('--duration', v.duration);
  const speed = v.speed === 'max' ? Number.POSITIVE_INFINITY : positive('--speed', v.speed, ' or max');
  if (speed === Number.POSITIVE_INFINITY && durationS === undefined) {
    throw new UsageError('--speed max plays as fast as it can, so it needs --duration');
  }
  const start = v.start === undefined ? now : Date.parse(v.start);
  if (Number.isNaN(start))
    throw new UsageError(`--start must be an ISO time such as 2026-01-12T06:00:00Z, got "${v.start}"`);
  if (!isOutputName(v.output)) throw new UsageError(`--output must be chirpstack or gateway, got "${v.output}"`);
  if (v.marshaler !== 'json' && v.marshaler !== 'protobuf') {
    throw new UsageError(`--marshaler must be json or protobuf, got "${v.marshaler}"`);
  }
  if (v.timestamps !== 'simulated' && v.timestamps !== 'wall') {
    throw new UsageError(`--timestamps must be simulated or wall, got "${v.timestamps}"`);
  }
  if (v.qos !== '0' && v.qos !== '1') throw new UsageError(`--qos must be 0 or 1, got "${v.qos}"`);
  if (!/^(mqtts?|wss?|tcp):\/\//.test(v.mqtt))
    throw new UsageError(`--mqtt must be a URL such as mqtt://127.0.0.1:1883, got "${v.mqtt}"`);
  return {
    devices: integer('--devices', v.devices, 1),
    speed,
    scenarios: v.scenario.flatMap((list) => list.split(',')).map(scenario),
    scenarioAtS: integer('--scenario-at', v['scenario-at'], 0),
    mqtt: v.mqtt,
    marshaler: v.marshaler,
    output: v.output,
    seed: integer('--seed', v.seed, 0),
    ...(durationS === undefined ? {} : { durationS }),
    start,
    applicationId: v.application,
    timestamps: v.timestamps,
    qos: v.qos === '0' ? 0 : 1,
    ...(v['write-city'] === undefined ? {} : { writeCity: v['write-city'] }),
    ...(v.objects === undefined ? {} : { objects: v.objects }),
  };
}

function parse(argv: string[]) {
  return parseArgs({
    args: argv,
    strict: true,
    allowPositionals: false,
    options: {
      devices: { type: 'string', default: String(DEMO_DEVICES) },
      speed: { type: 'string', default: '60' },
      scenario: { type: 'string', multiple: true, default: [] },
      'scenario-at': { type: 'string', default: '60' },
      mqtt: { type: 'string', default: 'mqtt://127.0.0.1:1883' },
      marshaler: { type: 'string', default: 'json' },
      output: { type: 'string', default: 'chirpstack' },
      seed: { type: 'string', default: '1' },
      duration: { type: 'string' },
      start: { type: 'string' },
      timestamps: { type: 'string', default: 'simulated' },
      application: { type: 'string', default: 'demo-city' },
      qos: { type: 'string', default: '1' },
      'write-city': { type: 'string' },
      objects: { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
}

function scenario(name: string): Scenario {
  const found = findScenario(name.trim());
  if (!found) throw new UsageError(`no scenario "${name}"; there are ${SCENARIOS.map((s) => s.name).join(', ')}`);
  return found;
}

function positive(flag: string, text: string, orElse = ''): number {
  const n = Number(text);
  if (!Number.isFinite(n) || n <= 0) throw new UsageError(`${flag} must be a positive number${orElse}, got "${text}"`);
  return n;
}

function integer(flag: string, text: string, min: number): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n < min)
    throw new UsageError(`${flag} must be a whole number of at least ${min}, got "${text}"`);
  return n;
}
