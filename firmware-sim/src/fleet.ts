import { createHash } from 'node:crypto';
import { type DeviceClass, reading, type Simulated, simulate } from './behaviour/index.ts';
import type { SimDevice, SimUplink } from './chirpstack/events.ts';
import { type City, type CityDevice, type CityObject, DEMO_DEVICES, demoCity } from './city/index.ts';
import type { SessionKeys } from './lorawan/crypto.ts';
import { gatewayGrid, type Link, linkTo } from './radio.ts';
import { Random, seedFrom } from './random.ts';
import { World } from './world/world.ts';

export interface FleetDevice extends SimDevice {
  model: string;
  class: DeviceClass;
  objectNumber: string;
  district: string;
  /** where its object stands, degrees */
  lon: number;
  lat: number;
  /** seconds between uplinks (simulated time) */
  intervalS: number;
  fCnt: number;
  /** OTAA join nonce, one more for every join */
  devNonce: number;
  link: Link;
  /** ABP-style session keys and the AppKey a join-request is signed with, derived from the seed */
  keys: SessionKeys;
  appKey: Uint8Array;
  joinEui: string;
  sim: Simulated;
  /** the moment the device dies for good (a flat battery, a vandal); Infinity for most */
  silentFromMs: number;
  /** off the air until then (a power cut) */
  offlineUntilMs: number;
}

export interface FleetOptions {
  seed: number;
  applicationId: string;
  /** simulated time the fleet starts at (behaviour state is initialised for it); default now */
  start?: number;
  /** devices to play (default the demo city's 5,000); with `city`, an even pick of its devices */
  count?: number;
  /** the city to play; default the demo city generated from `seed` */
  city?: City;
}

/** Share of devices that die during a simulated week: vandalism, water ingress, a lost antenna. */
const SILENT_PER_WEEK = 0.005;
const WEEK_MS = 7 * 86_400_000;
export const JOIN_EUI = '70b3d57ed0000000';

/**
 * The city's devices, ready to play from `start`: each with its behaviour state, radio link,
 * session keys and ChirpStack tags `model` and `object` - ingest registers and binds each one
 * zero-touch on its first uplink. The same seed gives the same fleet.
 */
export function makeFleet(opts: FleetOptions): FleetDevice[] {
  const start = opts.start ?? Date.now();
  const city = opts.city ?? demoCity(opts.seed, opts.count ?? DEMO_DEVICES);
  const chosen = evenPick(city.devices, opts.count ?? city.devices.length);
  const objects = new Map(city.objects.map((o) => [o.number, o]));
  const gateways = gatewayGrid(city.objects);
  const world = new World(opts.seed);
  return chosen.map((d, i) => {
    const object = objects.get(d.objectNumber);
    if (!object) throw new Error(`device ${d.devEui} is bound to ${d.objectNumber}, which the city does not have`);
    return fleetDevice(d, object, i, { ...opts, start, world, link: linkTo(object, gateways) });
  });
}

function fleetDevice(
  d: CityDevice,
  object: CityObject,
  index: number,
  opts: FleetOptions & { start: number; world: World; link: Link },
): FleetDevice {
  const rng = new Random(seedFrom(`${opts.seed}:${d.devEui}`));
  const sim = simulate(
    {
      devEui: d.devEui,
      model: d.model,
      mount: { number: object.number, type: object.type, district: object.district, props: object.props },
      world: opts.world,
      rng,
      key: seedFrom(d.devEui),
    },
    opts.start,
  );
  const secret = (label: string) =>
    Uint8Array.from(createHash('sha256').update(`${opts.seed}:${d.devEui}:${label}`).digest().subarray(0, 16));
  return {
    devEui: d.devEui,
    devAddr: devAddr(index, opts.seed),
    applicationId: opts.applicationId,
    name: d.name,
    profileName: d.model,
    tags: { model: d.model, object: d.objectNumber },
    model: d.model,
    class: d.class,
    objectNumber: d.objectNumber,
    district: object.district,
    lon: object.lon,
    lat: object.lat,
    intervalS: rng.pick(sim.adapter.intervalsS),
    fCnt: 0,
    devNonce: 0,
    link: opts.link,
    keys: { nwkSKey: secret('nwk'), appSKey: secret('app') },
    appKey: secret('appkey'),
    joinEui: JOIN_EUI,
    sim,
    silentFromMs: rng.chance(SILENT_PER_WEEK) ? opts.start + rng.next() * WEEK_MS : Number.POSITIVE_INFINITY,
    offlineUntilMs: 0,
  };
}

/**
 * A DevAddr in NetID 000000's range (7-bit prefix 0, as a private ChirpStack hands out): the
 * index scrambled by an odd multiplier modulo 2^25, unique within the fleet.
 */
function devAddr(index: number, seed: number): string {
  const scrambled = (Math.imul(index + 1, 0x2c1b3c6d) + seedFrom(`devaddr:${seed}`)) & 0x1ffffff;
  return scrambled.toString(16).padStart(8, '0');
}

/** `n` items spread evenly over `items`, so a small fleet still has every class and model. */
function evenPick<T>(items: readonly T[], n: number): T[] {
  if (n >= items.length) return [...items];
  return Array.from({ length: n }, (_, i) => items[Math.floor((i * items.length) / n)] as T);
}

export function isSilent(device: FleetDevice, ms: number): boolean {
  return ms >= device.silentFromMs || device.sim.state.battery?.empty(ms) === true;
}

/**
 * The device's next uplink at `ms`: its behaviour brought up to date and read through its
 * model's encoder, on its radio link with a few dB of fading.
 */
export function uplink(device: FleetDevice, ms: number): SimUplink {
  const rng = device.sim.device.rng;
  return {
    device,
    time: new Date(ms),
    fCnt: device.fCnt++,
    fPort: device.sim.adapter.fPort,
    data: reading(device.sim, ms),
    gatewayId: device.link.gatewayId,
    rssi: device.link.rssi + rng.int(-3, 3),
    snr: Math.round((device.link.snr + rng.decimal(-1.5, 1.5, 1)) * 10) / 10,
    frequency: rng.pick([868_100_000, 868_300_000, 868_500_000]),
    dr: device.link.dr,
    spreadingFactor: device.link.spreadingFactor,
    deduplicationId: uuid(rng),
  };
}

/** A random (version 4) UUID from the device's own stream, so a replay repeats the ids too. */
function uuid(rng: Random): string {
  const hex = Array.from({ length: 4 }, () => rng.int(0, 0xffffffff).toString(16).padStart(8, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}
