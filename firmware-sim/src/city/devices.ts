import { type DeviceClass, findBehaviour } from '../behaviour/index.ts';
import { Random, seedFrom } from '../random.ts';
import type { CityObject } from './generate.ts';

/** A device mounted on a numbered object: what a city registers, and what the fleet plays. */
export interface CityDevice {
  devEui: string;
  model: string;
  class: DeviceClass;
  objectNumber: string;
  name: string;
}

/**
 * Devices of each model in a fleet of 5,000, as a city that has rolled out the five classes
 * might have them: lighting controllers and bin sensors by the thousand, meters by the
 * hundred, a couple of hundred air posts.
 */
export const DEVICE_MIX: Readonly<Record<string, number>> = {
  'milesight-iot/ws52x': 1350,
  'cayenne/lpp-dimmer': 150,
  'milesight-iot/ws558': 150,
  'milesight-iot/ct101': 150,
  'dragino/lt22222-l': 100,
  'milesight-iot/em310-udl': 500,
  'milesight-iot/em400-udl': 350,
  'milesight-iot/em500-udl': 200,
  'pepperl-fuchs/wilsen-sonic-level': 250,
  'decentlab/dl-mbx': 200,
  'axioma/qalcosonic-w1': 450,
  'adeunis/pulse': 150,
  'milesight-iot/em300-di': 200,
  'elsys/ems': 100,
  'elvaco/cmi4160': 150,
  'elvaco/cmi4111': 150,
  'milesight-iot/am307': 40,
  'milesight-iot/am319': 50,
  'elsys/ers-co2': 30,
  'decentlab/dl-pm': 50,
  'dragino/laq4': 30,
  'cayenne/lpp': 200,
};

export const DEMO_DEVICES = Object.values(DEVICE_MIX).reduce((a, b) => a + b, 0);

/** DevEUI prefixes of the makers' own IEEE blocks; the rest use 70b3d5, a block many LoRaWAN makers share. */
const VENDOR_OUI: Readonly<Record<string, string>> = {
  'milesight-iot': '24e124',
  dragino: 'a84041',
  elsys: 'a81758',
  adeunis: '0018b2',
};

/**
 * `count` devices spread over the mix, each on its own object of a type its behaviour is
 * mounted on. Pole controllers go in whole rows, cabinet by cabinet, the way a city modernises
 * its lighting street by street; the cabinets of those rows get the cabinet devices first.
 */
export function bindDevices(objects: readonly CityObject[], count: number, seed: number): CityDevice[] {
  const rng = new Random(seedFrom(`devices:${seed}`));
  const free = new Map<string, CityObject[]>();
  for (const object of rng.shuffle([...objects])) {
    const list = free.get(object.type) ?? [];
    list.push(object);
    free.set(object.type, list);
  }
  const polesByCabinet = new Map<string, CityObject[]>();
  for (const pole of free.get('pole') ?? []) {
    const cabinet = String(pole.props.cabinet ?? '');
    polesByCabinet.set(cabinet, [...(polesByCabinet.get(cabinet) ?? []), pole]);
  }
  // Rows first, in the shuffled cabinet order, then the poles of cabinets the city has none of.
  const cabinets = free.get('cabinet') ?? [];
  free.set('pole', [...cabinets.flatMap((c) => polesByCabinet.get(c.number) ?? []), ...(polesByCabinet.get('') ?? [])]);

  const counts = apportion(DEVICE_MIX, count);
  const devices: CityDevice[] = [];
  for (const [model, n] of Object.entries(counts)) {
    const found = findBehaviour(model);
    if (!found) throw new Error(`no behaviour for ${model}`);
    for (let i = 0; i < n; i++) {
      const object = found.behaviour.objectTypes.map((type) => free.get(type)?.shift()).find((o) => o !== undefined);
      if (!object) break;
      devices.push({
        devEui: devEui(model, devices.length, seed),
        model,
        class: found.adapter.class,
        objectNumber: object.number,
        name: `${model.split('/')[1]} ${object.number}`,
      });
    }
  }
  return devices;
}

/**
 * Maker prefix, a byte for the fleet's seed, then the device's index in the fleet scrambled by
 * an odd multiplier: a bijection on 32 bits, so no two devices of a fleet share a DevEUI.
 */
function devEui(model: string, index: number, seed: number): string {
  const prefix = VENDOR_OUI[model.split('/')[0] as string] ?? '70b3d5';
  const batch = (seedFrom(`fleet:${seed}`) & 0xff).toString(16).padStart(2, '0');
  return `${prefix}${batch}${(Math.imul(index + 1, 0x9e3779b1) >>> 0).toString(16).padStart(8, '0')}`;
}

/** Splits `total` in proportion to `weights`, largest remainders first, so the parts sum to it. */
function apportion(weights: Readonly<Record<string, number>>, total: number): Record<string, number> {
  const sum = Object.values(weights).reduce((a, b) => a + b, 0);
  const exact = Object.entries(weights).map(([key, w]) => ({ key, value: (w * total) / sum }));
  const out = Object.fromEntries(exact.map(({ key, value }) => [key, Math.floor(value)]));
  let left = total - Object.values(out).reduce((a, b) => a + b, 0);
  for (const { key } of [...exact].sort((a, b) => (b.value % 1) - (a.value % 1))) {
    if (left-- <= 0) break;
    out[key] = (out[key] as number) + 1;
  }
  return out;
}
