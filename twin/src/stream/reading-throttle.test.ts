import { createRequire } from 'node:module';
import type { Reading } from '@city/ingest';
import { describe, expect, it } from 'vitest';
import { decodeReadingBatch, type ReadingBatch } from '../contract/stream.ts';
import type { CityObjectRecord } from '../objects/object-record.ts';
import { ReadingThrottle, readingBatch } from './reading-throttle.ts';

const record = (number: string, type: string, district: string | null, ownerUtility: string | null) =>
  ({ number, type, district, ownerUtility, lat: 0, lon: 0, address: null, attributes: {} }) as CityObjectRecord;
const OBJECTS = new Map([
  ['B-1', record('B-1', 'bin', 'd1', 'vidkhody')],
  ['P-1', record('P-1', 'pole', 'd2', 'misksvitlo')],
]);
const lookup = { get: (n: string) => OBJECTS.get(n.toUpperCase()) };
const reading = (objectNumber: string | null, metric: string, value: number, timeMs: number): Reading => ({
  devEui: 'a840410000000001',
  objectNumber,
  metric,
  value,
  timeMs,
});
const rows = (b: ReadingBatch) =>
  [...b.values].map((v, i) => [
    b.objects[b.objectIndex[i] as number],
    b.metrics[b.metricIndex[i] as number],
    v,
    b.times[i],
  ]);

describe('ReadingThrottle', () => {
  it('holds the newest value of each object and metric, whatever order readings come in', () => {
    const throttle = new ReadingThrottle(lookup);
    throttle.add([reading('B-1', 'fill_level', 50, 2000), reading('B-1', 'fill_level', 40, 1000)]);
    throttle.add([
      reading('b-1', 'fill_level', 60, 3000),
      reading('P-1', 'power', 0, 1000),
      reading(null, 'power', 1, 1),
    ]);
    const [batches] = throttle.take([new Set(['all'])]);
    // `b-1` as a reading spells it is the registry's `B-1`; a device on no object is not streamed.
    expect(batches?.map(rows)).toEqual([
      [
        ['B-1', 'fill_level', 50, 2000],
        ['B-1', 'fill_level', 60, 3000],
        ['P-1', 'power', 0, 1000],
      ],
    ]);
    expect(throttle.size).toBe(0);
  });

  it("gives each audience the readings of its rooms' objects, in batches of a bounded size", () => {
    const throttle = new ReadingThrottle(lookup);
    throttle.add([
      reading('B-1', 'fill_level', 50, 1),
      reading('B-1', 'battery', 90, 1),
      reading('P-1', 'power', 0, 1),
    ]);
    const [bins, lighting, water, unknown] = throttle.take(
      [
        new Set(['t:bin']),
        new Set(['u:misksvitlo:all', 'n:all']),
        new Set(['u:vodokanal:all', 'n:all']),
        new Set(['d:x']),
      ],
      1,
    );
    expect(bins?.map(rows)).toEqual([[['B-1', 'fill_level', 50, 1]], [['B-1', 'battery', 90, 1]]]);
    expect(lighting?.map(rows)).toEqual([[['P-1', 'power', 0, 1]]]);
    expect(water).toEqual([]);
    expect(unknown).toEqual([]);
  });

  it('holds a bounded number of distinct values and counts those it drops', () => {
    const throttle = new ReadingThrottle(lookup, 2);
    throttle.add([reading('B-1', 'fill_level', 1, 1), reading('B-1', 'battery', 1, 1), reading('P-1', 'power', 1, 1)]);
    throttle.add([reading('B-1', 'battery', 2, 2)]);
    expect(throttle.size).toBe(2);
    expect(throttle.dropped).toBe(1);
  });
});

describe('ReadingBatch on the wire', () => {
  // 1,000 readings as the wall gets them: 500 objects numbered as painted, two metrics each.
  const pending = Array.from({ length: 1000 }, (_, i) => ({
    object: `ОП-03-${String(Math.floor(i / 2)).padStart(5, '0')}`,
    metric: i % 2 === 0 ? 'fill_level' : 'battery',
    value: Math.round(Math.random() * 1000) / 10,
    timeMs: 1_767_225_600_000 + i * 1000,
  }));
  const batch = readingBatch(pending);

  it('decodes what a client receives, from an ArrayBuffer or from a Buffer at any offset', () => {
    const copy = (a: ArrayBufferView) => {
      // A Buffer at an odd offset, as a Node client may get it.
      const bytes = Buffer.alloc(a.byteLength + 1);
      bytes.set(new Uint8Array(a.buffer, a.byteOffset, a.byteLength), 1);
      return bytes.subarray(1);
    };
    const wire = {
      ...batch,
      objectIndex: copy(batch.objectIndex),
      metricIndex: new Uint8Array(batch.metricIndex).buffer,
      values: copy(batch.values),
      times: copy(batch.times),
    };
    expect(rows(decodeReadingBatch(wire))).toEqual(rows(batch));
  });

  it('is under 40 % of the JSON of the same readings, as socket.io sends it', () => {
    // socket.io's own parser (a dependency of socket.io), as the server encodes an event.
    const parser = createRequire(createRequire(import.meta.url).resolve('socket.io'))('socket.io-parser');
    const encoded: (string | Uint8Array)[] = new parser.Encoder().encode({
      type: 2,
      nsp: '/',
      data: ['reading', batch],
    });
    const bytes = encoded.reduce(
      (sum, part) => sum + (typeof part === 'string' ? Buffer.byteLength(part) : part.byteLength),
      0,
    );
    const json = Buffer.byteLength(JSON.stringify(pending));
    expect(encoded.length).toBe(5);
    expect(bytes).toBeLessThan(json * 0.4);
  });
});
