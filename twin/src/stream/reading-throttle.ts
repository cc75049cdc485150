import type { Reading } from '@city/ingest';
import type { ReadingBatch } from '../contract/stream.ts';
import type { ObjectLookup } from '../objects/object-record.ts';
import { scopeRooms } from './stream-rooms.ts';

/** Distinct (object, metric) held between two sends at most; a new one past it waits for its next reading. */
export const MAX_PENDING_READINGS = 20_000;
/** Readings in one batch at most: 22 bytes each as columns, so a batch stays near 100 KB. */
export const MAX_BATCH_READINGS = 5_000;

interface Pending {
  /** As the reading spells it; the batch names the object as the registry does. */
  object: string;
  metric: string;
  value: number;
  timeMs: number;
}

/**
 * Readings for the stream, throttled: between two sends it holds the newest value of each
 * (object, metric), so a wall gets at most one value per object and metric per send however fast
 * devices report. A send takes them all, as batches for each audience (the rooms of a group of
 * sockets), an object's readings in the batches of the audiences one of its rooms is in.
 */
export class ReadingThrottle {
  private pending = new Map<string, Pending>();
  /** New (object, metric) not held because MAX_PENDING_READINGS were already. */
  dropped = 0;

  constructor(
    private readonly objects: ObjectLookup,
    private readonly maxPending = MAX_PENDING_READINGS,
  ) {}

  add(readings: readonly Reading[]): void {
    for (const r of readings) {
      // The wall shows objects; a device on none has nothing to show there.
      if (r.objectNumber === null) continue;
      const key = `${r.objectNumber}\u0000${r.metric}`;
      const held = this.pending.get(key);
      if (held) {
        if (r.timeMs >= held.timeMs) {
          held.value = r.value;
          held.timeMs = r.timeMs;
        }
      } else if (this.pending.size < this.maxPending) {
        this.pending.set(key, { object: r.objectNumber, metric: r.metric, value: r.value, timeMs: r.timeMs });
      } else {
        this.dropped++;
      }
    }
  }

  get size(): number {
    return this.pending.size;
  }

  /** Empties the buffer; for each audience, its readings as batches of MAX_BATCH_READINGS at most. */
  take(audiences: readonly ReadonlySet<string>[], maxBatch = MAX_BATCH_READINGS): ReadingBatch[][] {
    const held = this.pending;
    this.pending = new Map();
    const picked: Pending[][] = audiences.map(() => []);
    // Per object (as readings spell it), once: its registry number and the audiences that see it.
    const objects = new Map<string, { number: string; audiences: number[] }>();
    for (const p of held.values()) {
      let object = objects.get(p.object);
      if (!object) {
        const record = this.objects.get(p.object);
        const rooms = scopeRooms({
          district: record?.district ?? null,
          objectType: record?.type ?? null,
          utility: record?.ownerUtility ?? null,
        });
        const seeing: number[] = [];
        audiences.forEach((audience, i) => {
          if (rooms.some((room) => audience.has(room))) seeing.push(i);
        });
        object = { number: record?.number ?? p.object, audiences: seeing };
        objects.set(p.object, object);
      }
      // The held entry is the buffer's no more: it is renamed in place rather than copied.
      p.object = object.number;
      for (const i of object.audiences) picked[i]?.push(p);
    }
    return picked.map((list) => {
      const batches: ReadingBatch[] = [];
      for (let i = 0; i < list.length; i += maxBatch) batches.push(readingBatch(list.slice(i, i + maxBatch)));
      return batches;
    });
  }
}

/** Readings as a ReadingBatch: names listed once, numbers in typed columns. */
export function readingBatch(readings: readonly Pending[]): ReadingBatch {
  const objects = new Map<string, number>();
  const metrics = new Map<string, number>();
  const batch: ReadingBatch = {
    objects: [],
    metrics: [],
    objectIndex: new Uint32Array(readings.length),
    metricIndex: new Uint8Array(readings.length),
    values: new Float64Array(readings.length),
    times: new Float64Array(readings.length),
  };
  readings.forEach((r, i) => {
    batch.objectIndex[i] = indexOf(objects, batch.objects, r.object);
    // The metric vocabulary has fewer than 64 names (live-state.ts holds it so), so a byte holds the index.
    batch.metricIndex[i] = indexOf(metrics, batch.metrics, r.metric);
    batch.values[i] = r.value;
    batch.times[i] = r.timeMs;
  });
  return batch;
}

function indexOf(indexes: Map<string, number>, names: string[], name: string): number {
  let index = indexes.get(name);
  if (index === undefined) {
    index = names.push(name) - 1;
    indexes.set(name, index);
  }
  return index;
}
