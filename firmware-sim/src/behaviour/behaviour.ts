import type { ObjectType } from '@city/twin/contract';
import type { Encoder } from '../encoders/encoder.ts';
import type { Random } from '../random.ts';
import type { World } from '../world/world.ts';
import type { Battery } from './battery.ts';

/** Device classes, as ingest's codec metadata names them. */
export type DeviceClass = 'meter' | 'bin' | 'streetlight' | 'air' | 'io';

/** The numbered city object a device is mounted on, as far as its behaviour cares. */
export interface Mount {
  number: string;
  type: ObjectType;
  district: string;
  /** Type-specific facts from the object's GeoJSON properties: a bin's depth, a pole's cabinet. */
  props: Readonly<Record<string, unknown>>;
}

/** One simulated device as its behaviour sees it. */
export interface DeviceContext {
  devEui: string;
  model: string;
  mount: Mount;
  world: World;
  /** The device's own random stream: measurement noise that needs no replay across cadences. */
  rng: Random;
  /** A stable number per device, keying the pure noise in world/noise.ts. */
  key: number;
}

/** What every behaviour's state may carry; the fleet silences a device whose battery is flat. */
export interface BaseState {
  battery?: Battery;
}

/**
 * One model's firmware view of a behaviour: the vendor fields its encoder takes, filled from
 * the behaviour's state. The encoder stays the only place that knows the bytes.
 */
export interface ModelAdapter<S extends BaseState> {
  model: string;
  class: DeviceClass;
  fPort: number;
  /** Report intervals this model is commonly configured with, seconds. */
  intervalsS: readonly number[];
  payload(state: S, ms: number, device: DeviceContext): Uint8Array;
}

/**
 * How one kind of device (a bin sensor, a water meter...) behaves over simulated time.
 * `advance` is only ever called with a later time than before; between calls the state is
 * what the device would measure at the last time.
 */
export interface Behaviour<S extends BaseState> {
  kind: string;
  /** Object types a device of this kind is mounted on. */
  objectTypes: readonly ObjectType[];
  models: readonly ModelAdapter<S>[];
  init(device: DeviceContext, ms: number): S;
  advance(state: S, ms: number, device: DeviceContext): void;
}

export function adapter<S extends BaseState, V extends object>(
  encoder: Encoder<V>,
  deviceClass: DeviceClass,
  intervalsS: readonly number[],
  values: (state: S, ms: number, device: DeviceContext) => V,
): ModelAdapter<S> {
  return {
    model: encoder.model,
    class: deviceClass,
    fPort: encoder.fPort,
    intervalsS,
    payload: (state, ms, device) => encoder.encode(values(state, ms, device)),
  };
}

/** A value rounded to `decimals` places, as the wire will carry it anyway. */
export function round(value: number, decimals = 0): number {
  const f = 10 ** decimals;
  return Math.round(value * f) / f;
}

/** Rounded down, for indices that must never appear to run backwards. */
export function floorTo(value: number, decimals = 0): number {
  const f = 10 ** decimals;
  return Math.floor(value * f + 1e-9) / f;
}
