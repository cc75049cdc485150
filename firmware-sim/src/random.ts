/**
 * Seeded pseudo-random source (mulberry32): the same seed replays the same fleet and the same
 * fuzz cases, so a failing round trip can be reproduced from the seed in its message.
 */
export class Random {
  private state: number;

  constructor(seed: number) {
    this.state = seed >>> 0;
  }

  /** Uniform in [0, 1). */
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** Integer in [min, max], both inclusive. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  /**
   * A multiple of 1/perUnit in [min, max], computed as integer / perUnit so it is exactly the
   * number a decoder gets by dividing the wire integer (`steps(0, 100, 2)` for 0.5 % humidity).
   */
  steps(min: number, max: number, perUnit: number): number {
    return this.int(Math.ceil(min * perUnit), Math.floor(max * perUnit)) / perUnit;
  }

  /** A value in [min, max] with `decimals` decimal places (see `steps`). */
  decimal(min: number, max: number, decimals: number): number {
    return this.steps(min, max, 10 ** decimals);
  }

  chance(probability: number): boolean {
    return this.next() < probability;
  }

  pick<T>(items: readonly T[]): T {
    const item = items[this.int(0, items.length - 1)];
    if (item === undefined) throw new RangeError('pick from an empty list');
    return item;
  }

  /** Shuffles `items` in place (Fisher-Yates) and returns it. */
  shuffle<T>(items: T[]): T[] {
    for (let i = items.length - 1; i > 0; i--) {
      const j = this.int(0, i);
      [items[i], items[j]] = [items[j] as T, items[i] as T];
    }
    return items;
  }

  /**
   * Keeps each field with probability `keep`, but at least one: devices that report changed
   * values only still send something, and decoders must cope with any subset.
   */
  someOf<T extends object>(fields: T, keep = 0.8): Partial<T> {
    const entries = Object.entries(fields);
    const kept = entries.filter(() => this.chance(keep));
    if (kept.length === 0 && entries.length > 0) kept.push(this.pick(entries));
    return Object.fromEntries(kept) as Partial<T>;
  }
}

/** A stable 32-bit seed from a name (FNV-1a), so every model gets its own reproducible stream. */
export function seedFrom(name: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < name.length; i++) {
    hash ^= name.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}
