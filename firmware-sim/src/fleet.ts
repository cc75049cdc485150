import { eventTopic, type Marshaler, type SimDevice, uplinkEvent } from './chirpstack/events.ts';
import { ENCODERS, findEncoder } from './encoders/index.ts';
import { Random } from './random.ts';

export interface FleetDevice extends SimDevice {
  model: string;
  /** Seconds between uplinks (simulated time). */
  intervalS: number;
  fCnt: number;
  gatewayId: string;
  rssi: number;
  snr: number;
}

export interface FleetOptions {
  count: number;
  applicationId: string;
  seed: number;
  /** Restrict to these models; default every model firmware-sim can encode. */
  models?: readonly string[];
}

const GATEWAYS = ['0016c001f153a14c', '0016c001f153a14d', '0016c001f153a14e', '0016c001f153a14f'];

/**
 * A deterministic fleet: the same seed gives the same devices. Each carries ChirpStack's
 * device-profile tag `model`, so ingest registers it zero-touch on its first uplink.
 */
export function makeFleet(opts: FleetOptions): FleetDevice[] {
  const rng = new Random(opts.seed);
  const models = opts.models ?? ENCODERS.map((e) => e.model);
  return Array.from({ length: opts.count }, (_, i) => {
    const model = models[i % models.length] as string;
    const hex = (opts.seed * 1_000_003 + i).toString(16).padStart(10, '0').slice(-10);
    return {
      devEui: `a84041${hex}`,
      devAddr: hex.slice(-8),
      applicationId: opts.applicationId,
      name: `${model.split('/')[1]}-${i + 1}`,
      profileName: model,
      tags: { model },
      model,
      intervalS: rng.pick([300, 600, 900, 1800]),
      fCnt: 0,
      gatewayId: rng.pick(GATEWAYS),
      rssi: rng.int(-120, -60),
      snr: rng.decimal(-10, 10, 1),
    };
  });
}

/** One uplink of `device` at `time`: fresh plausible values through its firmware encoder. */
export function nextUplink(device: FleetDevice, time: Date, rng: Random, marshaler: Marshaler) {
  const encoder = findEncoder(device.model);
  if (!encoder) throw new Error(`firmware-sim has no encoder for ${device.model}`);
  const payload = uplinkEvent(
    {
      device,
      time,
      fCnt: device.fCnt++,
      fPort: encoder.fPort,
      data: encoder.encode(encoder.randomValues(rng)),
      gatewayId: device.gatewayId,
      rssi: device.rssi + rng.int(-3, 3),
      snr: device.snr,
      frequency: rng.pick([868_100_000, 868_300_000, 868_500_000]),
      dr: 5,
      spreadingFactor: 7,
    },
    marshaler,
  );
  return { topic: eventTopic(device, 'up'), payload };
}

export interface FleetRun {
  stop(): void;
  /** Uplinks published so far. */
  readonly sent: number;
}

/**
 * Plays the fleet in real time, `speed` times faster than life: each device sends at its
 * interval, first uplinks spread over one interval so the fleet does not speak all at once.
 */
export function runFleet(
  devices: FleetDevice[],
  publish: (topic: string, payload: Uint8Array) => Promise<unknown>,
  opts: { speed: number; seed: number; marshaler: Marshaler; tickMs?: number },
): FleetRun {
  const rng = new Random(opts.seed);
  const started = Date.now();
  const due = devices.map((d) => rng.next() * d.intervalS);
  let sent = 0;
  const timer = setInterval(() => {
    const simSeconds = ((Date.now() - started) / 1000) * opts.speed;
    devices.forEach((device, i) => {
      while ((due[i] as number) <= simSeconds) {
        due[i] = (due[i] as number) + device.intervalS;
        const { topic, payload } = nextUplink(device, new Date(), rng, opts.marshaler);
        sent++;
        // The MQTT client queues while offline; a rejected publish means it was closed (shutdown).
        publish(topic, payload).catch(() => {});
      }
    });
  }, opts.tickMs ?? 250);
  return {
    stop: () => clearInterval(timer),
    get sent() {
      return sent;
    },
  };
}
