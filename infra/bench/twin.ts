import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { type City, DEMO_DEVICES, demoCity, Random, toGeoJSON } from '@city/firmware-sim';
import { type Db, METRIC_NAMES, migrate, openPglite, openPostgres, type Reading } from '@city/ingest';
import {
  type CityObjectRecord,
  importObjects,
  LiveState,
  locate,
  migrateTwin,
  ObjectIndex,
  type ObjectPositions,
  seedReferenceData,
} from '@city/twin';
import { numberKey } from '@city/twin/contract';
import { createScratchDatabase } from '../test/support/engines.ts';
import { type BenchResult, rate } from './report.ts';

const OBJECTS = Number(process.env.BENCH_OBJECTS ?? 100_000);
const READINGS = Number(process.env.BENCH_READINGS ?? 1_000_000);
const SEED = 9;
const BASE_URL = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

/** Who owns what in the bench's records (reference-data/utilities.json ids). */
const OWNER: Readonly<Record<string, string>> = {
  pole: 'misksvitlo',
  cabinet: 'misksvitlo',
  manhole: 'vodokanal',
  meter_point: 'vodokanal',
  bin: 'vidkhody',
  tree: 'zelenbud',
  shelter: 'elektrotrans',
  air_station: 'ekologiia',
};

/**
 * The twin's object registry on the demo city scaled to BENCH_OBJECTS objects, each figure beside
 * a naive baseline from the same run: the same records as plain objects in an array, scanned.
 * - memory: V8 heap + array buffers after GC, held by the index vs by the plain records;
 * - nearest object, k nearest of a type, locate (3-5 numbers): queries/s, index vs linear scan;
 * - near/bbox/district queries: µs each;
 * - live state (twin/src/live): readings applied/s vs a Map of plain per-object records;
 * - import of the city's GeoJSON (all-or-nothing, the index following) on PGlite and PostgreSQL.
 */
export async function benchTwin(): Promise<BenchResult> {
  const gc = exposedGc();
  const heap = () => {
    gc();
    gc();
    const m = process.memoryUsage();
    return m.heapUsed + m.arrayBuffers;
  };
  const city = scaledCity(OBJECTS);
  const records = city.objects.map(
    (o): CityObjectRecord => ({
      number: o.number,
      type: o.type,
      lat: o.lat,
      lon: o.lon,
      district: o.district,
      address: o.street ?? null,
      ownerUtility: OWNER[o.type] ?? null,
      attributes: o.props,
    }),
  );
  const n = records.length;
  const lines = [
    `load                 ${n} objects of the demo city (seed ${SEED}), ${city.districts.length} districts`,
  ];

  // Memory: each structure built from its own parse of the same JSON, so it shares no strings.
  const json = JSON.stringify(records);
  const m0 = heap();
  const plain = JSON.parse(json) as CityObjectRecord[];
  const m1 = heap();
  const measured = (() => ObjectIndex.build(JSON.parse(json) as CityObjectRecord[]))();
  const m2 = heap();
  const indexBytes = (m2 - m1) / n;
  const plainBytes = (m1 - m0) / n;
  lines.push(
    `memory               index ${indexBytes.toFixed(0)} B/object measured (its own estimate ${(measured.memoryBytes() / n).toFixed(0)}); baseline plain records ${plainBytes.toFixed(0)} B/object (${(plainBytes / indexBytes).toFixed(1)}x)`,
  );

  let started = performance.now();
  const index = ObjectIndex.build(records, city.districts.map(district));
  lines.push(`build                ${(performance.now() - started).toFixed(0)} ms for ${n} objects`);

  const rng = new Random(SEED);
  // Where people ask from: up to ~100 m from an object (the city's bounding box holds the river too).
  const points = Array.from({ length: 4096 }, () => {
    const o = rng.pick(records);
    return { lat: o.lat + (rng.next() - 0.5) * 0.0018, lon: o.lon + (rng.next() - 0.5) * 0.0027 };
  });
  const point = (i: number) => points[i % points.length] as { lat: number; lon: number };

  const nearest1 = ratio(
    (i) => index.nearest(point(i).lat, point(i).lon, 1),
    (i) => scanNearest(plain, point(i).lat, point(i).lon, 1),
  );
  lines.push(`nearest object       ${nearest1}`);
  const nearestBins = ratio(
    (i) => index.nearest(point(i).lat, point(i).lon, 5, { type: 'bin' }),
    (i) => scanNearest(plain, point(i).lat, point(i).lon, 5, 'bin'),
  );
  lines.push(`5 nearest bins       ${nearestBins}`);

  // A caller by an object reads the numbers of the 2-4 others nearest to it; one in four
  // calls adds a misheard number (unknown), one in four a number from across the city (outlier).
  const calls = Array.from({ length: 2048 }, () => {
    const at = rng.pick(records);
    const numbers = index.nearest(at.lat, at.lon, rng.int(3, 5)).map((h) => h.object.number);
    if (rng.chance(0.25)) numbers.push('ЛК-99-99999');
    if (rng.chance(0.25)) numbers.push(rng.pick(records).number);
    return numbers.map((s) => (rng.chance(0.3) ? s.toLowerCase().replaceAll('-', ' ') : s));
  });
  const keys = plain.map((o) => numberKey(o.number));
  const scan: ObjectPositions = {
    position(number) {
      const key = numberKey(number);
      for (let i = 0; i < keys.length; i++) if (keys[i] === key) return plain[i];
      return undefined;
    },
  };
  const locating = ratio(
    (i) => locate(calls[i % calls.length] as string[], index),
    (i) => locate(calls[i % calls.length] as string[], scan),
  );
  lines.push(`locate (3-6 numbers) ${locating}`);
  lines.push(
    '                     baseline: linear scans of the plain records (number keys precomputed), same haversine',
  );

  const micros = (fn: (i: number) => unknown) => `${(1e6 / throughput(fn)).toFixed(1)} µs`;
  const box = 0.003;
  lines.push(
    `spatial queries      near 200 m ${micros((i) => index.near(point(i).lat, point(i).lon, 200))}, ` +
      `bbox ~450x330 m ${micros((i) => index.bbox(point(i).lon - box, point(i).lat - box / 2, point(i).lon + box, point(i).lat + box / 2))}, ` +
      `10 nearest ${micros((i) => index.nearest(point(i).lat, point(i).lon, 10))}, ` +
      `district's first 100 bins ${micros((i) => index.inDistrict(city.districts[i % city.districts.length]?.code ?? '', { type: 'bin', limit: 100 }))}, ` +
      `districtAt ${micros((i) => index.districtAt(point(i).lon, point(i).lat))}`,
  );

  // Changes: moved objects go to the pending list; the next query rebuilds once they pass the threshold.
  const moves = Math.min(20_000, n);
  started = performance.now();
  for (let i = 0; i < moves; i++) {
    const r = records[(i * 7919) % n] as CityObjectRecord;
    index.upsert({ ...r, lat: r.lat + 1e-5, lon: r.lon + 1e-5 });
  }
  const upsertS = (performance.now() - started) / 1000;
  started = performance.now();
  index.nearest(47.84, 35.14, 1);
  lines.push(
    `index updates        ${rate(moves / upsertS)} moves/s; the rebuild the next query makes ${(performance.now() - started).toFixed(0)} ms`,
  );

  lines.push(liveState(city, index));
  lines.push(...(await imports(city, n)));
  return { name: 'twin', command: 'pnpm bench twin   (BENCH_OBJECTS, BENCH_READINGS, DATABASE_URL to change)', lines };
}

/** The demo city with `n` objects: generated at the scale that makes at least `n`, then every k-th kept. */
function scaledCity(n: number): City {
  const atScale1 = demoCity(SEED).objects.length;
  const city = demoCity(SEED, Math.ceil(((DEMO_DEVICES * n) / atScale1) * 1.05));
  const all = city.objects;
  if (all.length < n) throw new Error(`the demo city made ${all.length} objects, fewer than ${n}`);
  const objects = Array.from({ length: n }, (_, i) => all[Math.floor((i * all.length) / n)] as (typeof all)[number]);
  const kept = new Set(objects.map((o) => o.number));
  return { ...city, objects, devices: city.devices.filter((d) => kept.has(d.objectNumber)) };
}

function district(d: City['districts'][number]) {
  return {
    code: d.code,
    name: d.name,
    nameEn: d.nameEn,
    boundary: { type: 'Polygon' as const, coordinates: [d.ring] },
  };
}

/** The naive nearest: every object's distance, the k smallest kept in a small sorted list. */
function scanNearest(objects: readonly CityObjectRecord[], lat: number, lon: number, k: number, type?: string) {
  const best: { o: CityObjectRecord; d: number }[] = [];
  for (const o of objects) {
    if (type !== undefined && o.type !== type) continue;
    const d = haversineM(lon, lat, o.lon, o.lat);
    if (best.length === k && d >= (best[k - 1] as { d: number }).d) continue;
    let at = best.length;
    while (at > 0 && (best[at - 1] as { d: number }).d > d) at--;
    best.splice(at, 0, { o, d });
    if (best.length > k) best.pop();
  }
  return best;
}

function haversineM(lon1: number, lat1: number, lon2: number, lat2: number): number {
  const rad = Math.PI / 180;
  const h =
    Math.sin(((lat2 - lat1) * rad) / 2) ** 2 +
    Math.cos(lat1 * rad) * Math.cos(lat2 * rad) * Math.sin(((lon2 - lon1) * rad) / 2) ** 2;
  return 2 * 6_371_000 * Math.asin(Math.sqrt(h));
}

/** Readings from the city's devices, three metrics a frame, applied in batches of 1,000. */
function liveState(city: City, index: ObjectIndex): string {
  const metrics = METRIC_NAMES.filter((m) => m !== 'rssi' && m !== 'snr');
  const devices = city.devices;
  const readings: Reading[] = [];
  const t0 = Date.parse('2025-01-01T00:00:00Z');
  for (let i = 0; readings.length < READINGS; i++) {
    const device = devices[i % devices.length] as City['devices'][number];
    for (let m = 0; m < 3; m++) {
      readings.push({
        timeMs: t0 + i * 1000,
        devEui: device.devEui,
        objectNumber: device.objectNumber,
        metric: metrics[(i + m) % metrics.length] as string,
        value: i % 100,
      });
    }
  }
  const batches: Reading[][] = [];
  for (let i = 0; i < readings.length; i += 1000) batches.push(readings.slice(i, i + 1000));

  const live = new LiveState({ objects: index });
  let started = performance.now();
  for (const batch of batches) live.apply(batch);
  const liveS = (performance.now() - started) / 1000;

  // Baseline: a Map of plain per-object records, newest value per metric kept by time.
  const naive = new Map<string, Record<string, { value: number; timeMs: number; devEui: string }>>();
  started = performance.now();
  for (const batch of batches) {
    for (const r of batch) {
      if (r.objectNumber === null) continue;
      let state = naive.get(r.objectNumber);
      if (!state) {
        state = {};
        naive.set(r.objectNumber, state);
      }
      const held = state[r.metric];
      if (!held || held.timeMs < r.timeMs) state[r.metric] = { value: r.value, timeMs: r.timeMs, devEui: r.devEui };
    }
  }
  const naiveS = (performance.now() - started) / 1000;
  return `live state           ${rate(readings.length / liveS)} readings/s applied (${devices.length} devices, ${readings.length} readings); baseline Map of plain objects ${rate(readings.length / naiveS)}/s (${(naiveS / liveS).toFixed(1)}x)`;
}

/** The city's GeoJSON imported into fresh databases, as the embedded mode's first start and POST /objects/import do. */
async function imports(city: City, n: number): Promise<string[]> {
  const text = JSON.stringify(toGeoJSON(city));
  let started = performance.now();
  JSON.parse(text);
  const parseMs = performance.now() - started;
  const lines = [
    `import               GeoJSON of ${n} objects, ${(text.length / 2 ** 20).toFixed(0)} MB; baseline JSON.parse of it ${parseMs.toFixed(0)} ms`,
  ];
  const engines: [string, () => Promise<{ db: Db; drop(): Promise<void> }>][] = [
    ['PGlite', async () => ({ db: await openPglite(), drop: async () => {} })],
    [
      'PostgreSQL',
      async () => {
        const scratch = await createScratchDatabase(BASE_URL);
        return { db: await openPostgres(scratch.url), drop: scratch.drop };
      },
    ],
  ];
  for (const [engine, open] of engines) {
    let opened: { db: Db; drop(): Promise<void> };
    try {
      opened = await open();
    } catch (err) {
      lines.push(`import ${engine.padEnd(13)} skipped: ${(err as Error).message}`);
      continue;
    }
    const { db } = opened;
    try {
      await migrate(db);
      await migrateTwin(db);
      await seedReferenceData(db);
      const following = ObjectIndex.build([]);
      started = performance.now();
      const report = await importObjects(
        db,
        { format: 'geojson', collection: JSON.parse(text) },
        { mode: 'all-or-nothing', objects: following },
      );
      const s = (performance.now() - started) / 1000;
      lines.push(
        `import ${engine.padEnd(13)} ${s.toFixed(1)} s parse + check + write + index (${rate(report.created / s)} objects/s): ` +
          `${report.created} created, ${report.rejectedCount} rejected, ${report.districts} districts; index holds ${following.size}`,
      );
    } finally {
      await db.close();
      await opened.drop();
    }
  }
  return lines;
}

/** `index (/s) vs baseline (/s): ratio` - the index measured for a second, the baseline likewise. */
function ratio(indexed: (i: number) => unknown, baseline: (i: number) => unknown): string {
  const fast = throughput(indexed);
  const slow = throughput(baseline);
  return `${rate(fast).padStart(10)} /s (${(1e6 / fast).toFixed(1)} µs); baseline ${rate(slow)} /s; ${(fast / slow).toFixed(0)}x`;
}

/** Calls per second of `fn`, run for about a second after a short warm-up. */
function throughput(fn: (i: number) => unknown, ms = 1000): number {
  let i = 0;
  const warm = performance.now();
  while (performance.now() - warm < ms / 10) fn(i++);
  let calls = 0;
  const started = performance.now();
  let elapsed = 0;
  while (elapsed < ms) {
    for (let j = 0; j < 16; j++) fn(i++);
    calls += 16;
    elapsed = performance.now() - started;
  }
  return calls / (elapsed / 1000);
}

/** V8's collector, so the memory figures are taken after a full collection. */
function exposedGc(): () => void {
  setFlagsFromString('--expose-gc');
  return runInNewContext('gc') as () => void;
}
