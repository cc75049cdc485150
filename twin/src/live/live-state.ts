import { type DeviceStatus, METRIC_NAMES, type Reading } from '@city/ingest';
import type { LiveValue, ObjectLiveState } from '../contract/live.ts';
import type { ObjectLookup } from '../objects/object-record.ts';
import { DEFAULT_INTERVAL_S, expectedIntervalMs, health } from './health.ts';

/** Bits of an entry key that hold the metric: the vocabulary has fewer than 64 metrics. */
const METRIC_BITS = 6;
const METRIC_MASK = (1 << METRIC_BITS) - 1;
if (METRIC_NAMES.length > METRIC_MASK + 1) throw new Error('the metric vocabulary outgrew the live state keys');

/**
 * Each metric's index in the vocabulary; radio figures are the device's (its registry row has
 * them), not the object's, and are not stored as readings, so a rebuild could not restore them.
 */
const METRIC_INDEX = new Map<string, number>(
  METRIC_NAMES.filter((m) => m !== 'rssi' && m !== 'snr').map((m) => [m, METRIC_NAMES.indexOf(m)]),
);
/** An object slot's key space: keys are `slot << METRIC_BITS | metric` in an int32. */
const MAX_OBJECTS = 2 ** (31 - METRIC_BITS);

/** Objects the lookup does not know, held at most (their readings beyond it are ignored and counted). */
const MAX_UNKNOWN_OBJECTS = 10_000;
const EMPTY = 0;

export interface LiveStateOptions {
  /** How object numbers in readings resolve to the objects as the registry writes them. */
  objects: ObjectLookup;
  maxUnknownObjects?: number;
}

/**
 * The live state of the city's objects: per object the newest value of each metric with its time
 * and device, the object's last-seen, and per device its last-seen, model and current object.
 *
 * Held in columns (typed arrays) rather than objects: an entry - one (object, metric) - is a key in
 * an open-addressing table and four numbers, ~32 bytes, and an object adds its slot; a city of
 * 100k objects with a few metrics each fits in tens of MB and updates at millions a second.
 *
 * `apply` is a merge that ignores order: a reading older than the one held for its (object, metric)
 * is dropped, and of two readings of one time the lower devEui wins (one device cannot have two:
 * readings' primary key is (device, metric, time)). So a batch may arrive late, twice, or overlap
 * a rebuild from the database, and the state comes out the same.
 */
export class LiveState {
  private readonly objects: ObjectLookup;
  private readonly maxUnknownObjects: number;

  /** Object number as readings spell it -> slot; each slot under its registry number too. */
  private readonly objectSlots = new Map<string, number>();
  private numbers: string[] = [];
  private objectLastSeen = new Float64Array(1024);
  private unknownObjects = 0;
  /** Readings of objects past `maxUnknownObjects`, not held. */
  ignored = 0;

  /** Entries: hash table of entry index + 1 (0 empty), and the entries' columns. */
  private table = new Int32Array(4096);
  private entries = 0;
  private keys = new Int32Array(2048);
  private values = new Float64Array(2048);
  private times = new Float64Array(2048);
  private devices = new Int32Array(2048);

  private readonly deviceSlots = new Map<string, number>();
  private devEuis: string[] = [];
  /** Each device's model as registered: 1 + its index in `models`, 0 before the registry said (models are few). */
  private deviceModel16 = new Uint16Array(1024);
  private readonly models: string[] = [];
  private readonly modelIndex = new Map<string, number>();
  private deviceLastSeen = new Float64Array(1024);
  private deviceInterval = new Float64Array(1024);
  /** The object slot a device is bound to now (the registry's binding), -1 for none. */
  private deviceObject = new Int32Array(1024);

  constructor(opts: LiveStateOptions) {
    this.objects = opts.objects;
    this.maxUnknownObjects = opts.maxUnknownObjects ?? MAX_UNKNOWN_OBJECTS;
  }

  /** Takes committed readings, in any order, any number of times. */
  apply(readings: readonly Reading[]): void {
    // A frame's readings come together: device and object are looked up once per frame.
    let devEui: string | undefined;
    let device = 0;
    let objectNumber: string | null | undefined;
    let object = -1;
    for (let i = 0; i < readings.length; i++) {
      const r = readings[i] as Reading;
      if (r.devEui !== devEui) {
        devEui = r.devEui;
        device = this.deviceSlot(devEui);
      }
      const time = r.timeMs;
      if (time > (this.deviceLastSeen[device] as number)) this.deviceLastSeen[device] = time;
      if (r.objectNumber !== objectNumber) {
        objectNumber = r.objectNumber;
        object = objectNumber === null ? -1 : this.objectSlot(objectNumber);
      }
      if (object < 0) continue;
      const metric = METRIC_INDEX.get(r.metric);
      if (metric === undefined) continue;
      this.put((object << METRIC_BITS) | metric, r.value, time, device);
      if (time > (this.objectLastSeen[object] as number)) this.objectLastSeen[object] = time;
    }
  }

  /** What the device registry says of a device: its model (expected interval), object and last-seen. */
  setDevice(status: Pick<DeviceStatus, 'devEui' | 'model' | 'objectNumber' | 'lastSeenMs'>): void {
    const device = this.deviceSlot(status.devEui);
    this.deviceModel16[device] = status.model === null ? 0 : this.modelNumber(status.model);
    this.deviceInterval[device] = expectedIntervalMs(status.model);
    this.deviceObject[device] = status.objectNumber === null ? -1 : this.objectSlot(status.objectNumber);
    if (status.lastSeenMs !== null && status.lastSeenMs > (this.deviceLastSeen[device] as number))
      this.deviceLastSeen[device] = status.lastSeenMs;
  }

  /** An object's live state by its number (any spelling the registry resolves), undefined before its first reading. */
  objectState(number: string, nowMs = Date.now()): ObjectLiveState | undefined {
    const object = this.findObject(number);
    if (object === undefined || this.objectLastSeen[object] === 0) return undefined;
    const metrics: Record<string, LiveValue> = {};
    let interval = Number.POSITIVE_INFINITY;
    for (const [name, metric] of METRIC_INDEX) {
      const e = this.find((object << METRIC_BITS) | metric);
      if (e < 0) continue;
      const device = this.devices[e] as number;
      metrics[name] = {
        value: this.values[e] as number,
        time: new Date(this.times[e] as number).toISOString(),
        devEui: this.devEuis[device] as string,
      };
      interval = Math.min(interval, this.deviceInterval[device] as number);
    }
    const lastSeen = this.objectLastSeen[object] as number;
    return {
      number: this.numbers[object] as string,
      lastSeen: new Date(lastSeen).toISOString(),
      health: health(lastSeen, Number.isFinite(interval) ? interval : DEFAULT_INTERVAL_S * 1000, nowMs),
      metrics,
    };
  }

  /** Every held value: object slot, metric name, value, time. */
  forEachValue(fn: (object: number, metric: string, value: number, timeMs: number) => void): void {
    for (let e = 0; e < this.entries; e++) {
      const key = this.keys[e] as number;
      fn(
        key >> METRIC_BITS,
        METRIC_NAMES[key & METRIC_MASK] as string,
        this.values[e] as number,
        this.times[e] as number,
      );
    }
  }

  /** Every device: the slot of the object it is bound to (-1 for none), its last-seen (0 never) and expected interval. */
  forEachDevice(fn: (object: number, lastSeenMs: number, intervalMs: number) => void): void {
    for (let d = 0; d < this.devEuis.length; d++)
      fn(this.deviceObject[d] as number, this.deviceLastSeen[d] as number, this.deviceInterval[d] as number);
  }

  /** Every device as the registry and its readings know it: what the alarm rules' silence checks walk. */
  forEachDeviceStatus(
    fn: (devEui: string, objectNumber: string | null, model: string | null, lastSeenMs: number) => void,
  ): void {
    for (let d = 0; d < this.devEuis.length; d++) {
      const object = this.deviceObject[d] as number;
      fn(
        this.devEuis[d] as string,
        object < 0 ? null : (this.numbers[object] as string),
        this.modelOf(d),
        this.deviceLastSeen[d] as number,
      );
    }
  }

  /** A device's model as registered, if the registry said. */
  deviceModel(devEui: string): string | null {
    const device = this.deviceSlots.get(devEui);
    return device === undefined ? null : this.modelOf(device);
  }

  /** The registry number of an object slot. */
  numberOf(object: number): string {
    return this.numbers[object] as string;
  }

  get objectCount(): number {
    return this.numbers.length;
  }

  get valueCount(): number {
    return this.entries;
  }

  get deviceCount(): number {
    return this.devEuis.length;
  }

  /** Bytes of the columns (typed arrays) as allocated; the Maps and strings come on top (see the tests' heap figure). */
  columnBytes(): number {
    return [
      this.objectLastSeen,
      this.table,
      this.keys,
      this.values,
      this.times,
      this.devices,
      this.deviceLastSeen,
      this.deviceInterval,
      this.deviceObject,
      this.deviceModel16,
    ].reduce((sum, a) => sum + a.byteLength, 0);
  }

  private findObject(number: string): number | undefined {
    const slot = this.objectSlots.get(number);
    if (slot !== undefined) return slot;
    const known = this.objects.get(number);
    return known ? this.objectSlots.get(known.number) : undefined;
  }

  private objectSlot(spelled: string): number {
    const slot = this.objectSlots.get(spelled);
    if (slot !== undefined) return slot;
    const known = this.objects.get(spelled);
    const number = known?.number ?? spelled;
    let found = this.objectSlots.get(number);
    if (found === undefined) {
      if (!known && this.unknownObjects >= this.maxUnknownObjects) {
        this.ignored++;
        return -1;
      }
      if (this.numbers.length >= MAX_OBJECTS) throw new Error('live state: too many objects');
      if (!known) this.unknownObjects++;
      found = this.numbers.length;
      this.numbers.push(number);
      if (found >= this.objectLastSeen.length) this.objectLastSeen = grown(this.objectLastSeen);
      this.objectSlots.set(number, found);
    }
    // The spelling of readings (a device's object as registered) maps to the slot at once from now on.
    if (spelled !== number) this.objectSlots.set(spelled, found);
    return found;
  }

  private modelOf(device: number): string | null {
    const n = this.deviceModel16[device] as number;
    return n === 0 ? null : (this.models[n - 1] as string);
  }

  private modelNumber(model: string): number {
    let n = this.modelIndex.get(model);
    if (n === undefined) {
      if (this.models.length >= 0xfffe) return 0;
      this.models.push(model);
      n = this.models.length;
      this.modelIndex.set(model, n);
    }
    return n;
  }

  private deviceSlot(devEui: string): number {
    const slot = this.deviceSlots.get(devEui);
    if (slot !== undefined) return slot;
    const device = this.devEuis.length;
    this.devEuis.push(devEui);
    this.deviceSlots.set(devEui, device);
    if (device >= this.deviceLastSeen.length) {
      this.deviceLastSeen = grown(this.deviceLastSeen);
      this.deviceInterval = grown(this.deviceInterval);
      const objects = new Int32Array(this.deviceLastSeen.length);
      objects.set(this.deviceObject);
      this.deviceObject = objects;
      const models = new Uint16Array(this.deviceLastSeen.length);
      models.set(this.deviceModel16);
      this.deviceModel16 = models;
    }
    this.deviceInterval[device] = DEFAULT_INTERVAL_S * 1000;
    this.deviceObject[device] = -1;
    return device;
  }

  /** Holds `value` for `key` unless a newer one (or one of the same time from a lower devEui) is held. */
  private put(key: number, value: number, time: number, device: number): void {
    const at = this.find(key);
    if (at >= 0) {
      const held = this.times[at] as number;
      if (time < held) return;
      if (time === held) {
        const heldDevice = this.devices[at] as number;
        if (heldDevice !== device && (this.devEuis[device] as string) > (this.devEuis[heldDevice] as string)) return;
      }
      this.values[at] = value;
      this.times[at] = time;
      this.devices[at] = device;
      return;
    }
    const e = this.entries++;
    if (e >= this.keys.length) this.growEntries();
    this.keys[e] = key;
    this.values[e] = value;
    this.times[e] = time;
    this.devices[e] = device;
    this.table[-at - 1] = e + 1;
    // Half full at most, so probes stay short.
    if (this.entries * 2 > this.table.length) this.rehash();
  }

  /** The entry of `key`, or -(slot + 1) of the table slot where it would go. */
  private find(key: number): number {
    const mask = this.table.length - 1;
    let h = Math.imul(key, 0x9e3779b1) >>> 0;
    for (;;) {
      h &= mask;
      const v = this.table[h] as number;
      if (v === EMPTY) return -h - 1;
      if (this.keys[v - 1] === key) return v - 1;
      h++;
    }
  }

  private growEntries(): void {
    this.keys = grownInt(this.keys);
    this.values = grown(this.values);
    this.times = grown(this.times);
    this.devices = grownInt(this.devices);
  }

  private rehash(): void {
    this.table = new Int32Array(this.table.length * 2);
    const mask = this.table.length - 1;
    for (let e = 0; e < this.entries; e++) {
      let h = Math.imul(this.keys[e] as number, 0x9e3779b1) >>> 0;
      for (;;) {
        h &= mask;
        if (this.table[h] === EMPTY) break;
        h++;
      }
      this.table[h] = e + 1;
    }
  }
}

function grown(a: Float64Array<ArrayBuffer>): Float64Array<ArrayBuffer> {
  const b = new Float64Array(a.length * 2);
  b.set(a);
  return b;
}

function grownInt(a: Int32Array<ArrayBuffer>): Int32Array<ArrayBuffer> {
  const b = new Int32Array(a.length * 2);
  b.set(a);
  return b;
}
