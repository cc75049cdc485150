import type { SimUplink } from './chirpstack/events.ts';
import { type FleetDevice, isSilent, uplink } from './fleet.ts';
import { Random } from './random.ts';

export type SimEvent =
  | { type: 'up'; device: FleetDevice; uplink: SimUplink }
  | { type: 'join'; device: FleetDevice; time: Date; devNonce: number };

/** What a scenario may do to the fleet: change device state at chosen moments. */
export interface FleetControl {
  readonly devices: readonly FleetDevice[];
  /** The simulated clock, ms: the last event taken, or the time played up to. */
  readonly now: number;
  /** Runs `action` when simulated time reaches `ms`. */
  at(ms: number, action: () => void): void;
  /** An extra uplink at `ms`, as devices send on an alarm without waiting for their interval. */
  uplinkNow(device: FleetDevice, ms: number): void;
  /** An OTAA join at `ms`: the join event, then uplinks counting again from fCnt 0. */
  rejoin(device: FleetDevice, ms: number): void;
}

interface Entry {
  at: number;
  seq: number;
  run: () => SimEvent | undefined;
}

/**
 * The fleet in simulated time: a queue of what happens when (each device's next uplink,
 * scenario steps, joins), taken in time order. Nothing here reads the wall clock, so the same
 * seed and start give the same events whatever pace they are played at.
 */
export class Simulation implements FleetControl {
  private readonly queue = new MinHeap<Entry>((a, b) => a.at - b.at || a.seq - b.seq);
  private seq = 0;
  /** simulated ms of the last event taken */
  now: number;

  constructor(
    readonly devices: readonly FleetDevice[],
    start: number,
    seed: number,
  ) {
    this.now = start;
    const rng = new Random(seed);
    // First uplinks spread over one interval, so the fleet does not speak all at once.
    for (const device of devices) this.scheduleUplink(device, start + rng.next() * device.intervalS * 1000);
  }

  at(ms: number, action: () => void): void {
    this.push(ms, () => {
      action();
      return undefined;
    });
  }

  uplinkNow(device: FleetDevice, ms: number): void {
    this.push(ms, () => this.send(device, ms));
  }

  rejoin(device: FleetDevice, ms: number): void {
    this.push(ms, () => {
      device.fCnt = 0;
      return { type: 'join', device, time: new Date(ms), devNonce: device.devNonce++ };
    });
  }

  /** The next event due at or before `untilMs`, or undefined when none is left before it. */
  next(untilMs: number): SimEvent | undefined {
    for (let entry = this.queue.peek(); entry && entry.at <= untilMs; entry = this.queue.peek()) {
      this.queue.pop();
      this.now = entry.at;
      const event = entry.run();
      if (event) return event;
    }
    this.now = Math.max(this.now, untilMs);
    return undefined;
  }

  private scheduleUplink(device: FleetDevice, ms: number): void {
    this.push(ms, () => {
      // A dead device is never heard again; one without power skips its slots until it is back.
      if (isSilent(device, ms)) return undefined;
      this.scheduleUplink(device, ms + device.intervalS * 1000);
      return this.send(device, ms);
    });
  }

  private send(device: FleetDevice, ms: number): SimEvent | undefined {
    if (ms < device.offlineUntilMs || isSilent(device, ms)) return undefined;
    return { type: 'up', device, uplink: uplink(device, ms) };
  }

  private push(at: number, run: Entry['run']): void {
    this.queue.push({ at, seq: this.seq++, run });
  }
}

/** A binary min-heap: the fleet's queue holds one entry per device, so pops are O(log n). */
class MinHeap<T> {
  private readonly items: T[] = [];

  constructor(private readonly before: (a: T, b: T) => number) {}

  peek(): T | undefined {
    return this.items[0];
  }

  push(item: T): void {
    const items = this.items;
    items.push(item);
    for (let i = items.length - 1; i > 0; ) {
      const parent = (i - 1) >> 1;
      if (this.before(items[i] as T, items[parent] as T) >= 0) break;
      [items[i], items[parent]] = [items[parent] as T, items[i] as T];
      i = parent;
    }
  }

  pop(): T | undefined {
    const items = this.items;
    const top = items[0];
    const last = items.pop();
    if (items.length > 0 && last !== undefined) {
      items[0] = last;
      for (let i = 0; ; ) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < items.length && this.before(items[l] as T, items[m] as T) < 0) m = l;
        if (r < items.length && this.before(items[r] as T, items[m] as T) < 0) m = r;
        if (m === i) break;
        [items[i], items[m]] = [items[m] as T, items[i] as T];
        i = m;
      }
    }
    return top;
  }
}
