import { Random } from '../random.ts';

export type LonLat = [lon: number, lat: number];

/** Metres per degree at the city's latitude (47.84° N); plenty for placing objects on a street. */
export const M_PER_DEG_LAT = 111_320;
export const M_PER_DEG_LON = 111_320 * Math.cos((47.84 * Math.PI) / 180);

/** Ray casting: whether `p` lies inside the closed `ring`. */
export function insideRing(p: LonLat, ring: readonly LonLat[]): boolean {
  let inside = false;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const [xi, yi] = ring[i] as LonLat;
    const [xj, yj] = ring[j] as LonLat;
    if (yi > p[1] !== yj > p[1] && p[0] < ((xj - xi) * (p[1] - yi)) / (yj - yi) + xi) inside = !inside;
  }
  return inside;
}

/**
 * A smooth, seeded displacement of the plane (a couple of hundred metres, over kilometres),
 * applied to everything the generator draws: the straight grid becomes bent streets and
 * irregular district borders, and shared borders stay shared because both sides move alike.
 * Its slope stays well below 1, so it never folds the map over.
 */
export function makeWarp(seed: number): (p: LonLat) => LonLat {
  const rng = new Random(seed);
  const waves = Array.from({ length: 3 }, () => ({
    ampLon: rng.decimal(0.0008, 0.0016, 5),
    ampLat: rng.decimal(0.0005, 0.001, 5),
    waveLon: rng.decimal(0.04, 0.09, 3),
    waveLat: rng.decimal(0.03, 0.06, 3),
    phase: rng.next() * 2 * Math.PI,
  }));
  return ([lon, lat]) => {
    let dLon = 0;
    let dLat = 0;
    for (const w of waves) {
      dLon += w.ampLon * Math.sin((2 * Math.PI * lat) / w.waveLat + w.phase);
      dLat += w.ampLat * Math.sin((2 * Math.PI * lon) / w.waveLon + w.phase);
    }
    return [lon + dLon, lat + dLat];
  };
}

/**
 * The ring's corners (in hundredths of a degree) with a vertex at every `step` hundredths
 * along each edge, counted from zero so that two districts sharing an edge get the same
 * vertices on it, in degrees.
 */
export function densify(corners: readonly (readonly [number, number])[], step: number): LonLat[] {
  const out: LonLat[] = [];
  corners.forEach((a, i) => {
    const b = corners[(i + 1) % corners.length] as readonly [number, number];
    const horizontal = a[1] === b[1];
    const [from, to] = horizontal ? [a[0], b[0]] : [a[1], b[1]];
    const dir = Math.sign(to - from);
    for (let k = Math.round(from / step); dir > 0 ? k * step < to : k * step > to; k += dir) {
      const v = (k * step) / 100;
      out.push(horizontal ? [v, a[1] / 100] : [a[0] / 100, v]);
    }
  });
  return out;
}

export function roundCoord([lon, lat]: LonLat): LonLat {
  return [Math.round(lon * 1e6) / 1e6, Math.round(lat * 1e6) / 1e6];
}
