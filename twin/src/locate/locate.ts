import type { LocateIgnored } from '../contract/locate.ts';

/**
 * How far away a painted number is read: stencilled digits 5-8 cm tall are legible from 15-30 m
 * in daylight. The upper end is taken, because it is the floor of every accuracy reported: one
 * number puts the caller anywhere within it of the object.
 */
export const READ_DISTANCE_M = 30;
/** Objects nearer than this to the others are never called outliers: a caller at a crossroads sees that far. */
export const OUTLIER_MIN_M = 150;
/** ... nor nearer than this many times the median distance of all the objects from their centre. */
export const OUTLIER_SPREAD = 3;

/** Metres per degree of latitude (earth radius 6371 km, as the index's distances). */
const M_PER_DEG = (6_371_000 * Math.PI) / 180;

/** What locating needs of the registry: an object's number as it writes it, and its position. */
export interface ObjectPositions {
  /** Undefined when no object has the number (typed in any spelling the registry resolves). */
  position(number: string): { number: string; lat: number; lon: number } | undefined;
}

export interface Estimate {
  lat: number;
  lon: number;
  accuracyM: number;
}

export interface Location {
  /** null when no number given is a known object. */
  estimate: Estimate | null;
  /** Numbers of the objects the estimate rests on, as the registry has them. */
  used: string[];
  ignored: LocateIgnored[];
}

interface Seen {
  number: string;
  given: string;
  x: number;
  y: number;
}

/**
 * Where a caller stands, from the numbers of the objects they can see.
 *
 * - Numbers no object has are reported `unknown`; an object named twice (however typed) `duplicate`.
 * - With three or more objects, one implausibly far from the rest is an `outlier`: farther from
 *   the geometric median of all of them than max(150 m, 3 x their median distance from it). The
 *   median resists the outlier it is looking for; with two objects neither can be called the odd
 *   one out, so both are used and the accuracy shows the disagreement.
 * - The estimate is the centroid of the objects used.
 * - The accuracy is max(30 m, the distance from the estimate to the farthest object used). It
 *   holds in both cases that matter: a caller within reading distance of every object used is
 *   within 30 m of their centroid (a distance from a convex combination is at most the largest
 *   distance from its parts), and a caller standing among the objects, inside their hull, is no
 *   farther from the estimate than the farthest corner of that hull, which is an object.
 *
 * Positions are worked in metres on a plane tangent at the first object: over the few hundred
 * metres a caller sees, its error is far below a metre.
 */
export function locate(numbers: readonly string[], objects: ObjectPositions): Location {
  const ignored: LocateIgnored[] = [];
  const named = new Set<string>();
  const seen: Seen[] = [];
  let origin: { lat: number; lon: number; cos: number } | undefined;
  for (const given of numbers) {
    const object = objects.position(given);
    if (!object) {
      ignored.push({ number: given, reason: 'unknown' });
      continue;
    }
    if (named.has(object.number)) {
      ignored.push({ number: given, reason: 'duplicate' });
      continue;
    }
    named.add(object.number);
    origin ??= { lat: object.lat, lon: object.lon, cos: Math.cos((object.lat * Math.PI) / 180) };
    seen.push({
      number: object.number,
      given,
      x: (object.lon - origin.lon) * origin.cos * M_PER_DEG,
      y: (object.lat - origin.lat) * M_PER_DEG,
    });
  }
  if (!origin) return { estimate: null, used: [], ignored };

  let used = seen;
  if (seen.length >= 3) {
    const centre = geometricMedian(seen);
    const distances = seen.map((p) => distance(p, centre));
    const limit = Math.max(OUTLIER_MIN_M, OUTLIER_SPREAD * median(distances));
    used = seen.filter((_, i) => (distances[i] as number) <= limit);
    seen.forEach((p, i) => {
      if ((distances[i] as number) > limit) ignored.push({ number: p.given, reason: 'outlier' });
    });
  }

  const x = used.reduce((sum, p) => sum + p.x, 0) / used.length;
  const y = used.reduce((sum, p) => sum + p.y, 0) / used.length;
  const spread = Math.max(...used.map((p) => distance(p, { x, y })));
  return {
    estimate: {
      lat: round6(origin.lat + y / M_PER_DEG),
      lon: round6(origin.lon + x / (origin.cos * M_PER_DEG)),
      accuracyM: Math.ceil(Math.max(READ_DISTANCE_M, spread)),
    },
    used: used.map((p) => p.number),
    ignored,
  };
}

/** The point with the least sum of distances to `points` (Weiszfeld's iteration from the coordinate-wise median). */
export function geometricMedian(points: readonly { x: number; y: number }[]): { x: number; y: number } {
  let x = median(points.map((p) => p.x));
  let y = median(points.map((p) => p.y));
  for (let step = 0; step < 100; step++) {
    let wx = 0;
    let wy = 0;
    let w = 0;
    for (const p of points) {
      const d = distance(p, { x, y });
      // Standing on a point: Weiszfeld's weight is infinite there; leaving it out keeps the step defined.
      if (d < 1e-6) continue;
      wx += p.x / d;
      wy += p.y / d;
      w += 1 / d;
    }
    if (w === 0) break;
    const moved = Math.abs(wx / w - x) + Math.abs(wy / w - y);
    x = wx / w;
    y = wy / w;
    // A tenth of a metre: far finer than the outlier test it serves.
    if (moved < 0.1) break;
  }
  return { x, y };
}

/** Math.hypot is several times slower for two numbers. */
function distance(a: { x: number; y: number }, b: { x: number; y: number }): number {
  return Math.sqrt((a.x - b.x) ** 2 + (a.y - b.y) ** 2);
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1
    ? (sorted[mid] as number)
    : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

/** Six decimals of a degree: about 0.1 m, finer than any estimate here. */
function round6(degrees: number): number {
  return Math.round(degrees * 1e6) / 1e6;
}
