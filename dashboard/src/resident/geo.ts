/**
 * The little geometry "Where am I?" needs, on a flat local plane: a few hundred metres around
 * one point, where the Earth's curve is far below what a phone screen shows.
 */

export type LonLat = readonly [number, number];

/** Metres per degree of latitude, and of longitude at the equator (WGS84, mean). */
const M_PER_DEG_LAT = 110_574;
const M_PER_DEG_LON_EQUATOR = 111_320;

/** Metres east (x) and north (y) of `origin`. */
export function toLocalMetres(origin: LonLat, point: LonLat): { x: number; y: number } {
  const cosLat = Math.cos((origin[1] * Math.PI) / 180);
  return {
    x: (point[0] - origin[0]) * M_PER_DEG_LON_EQUATOR * cosLat,
    y: (point[1] - origin[1]) * M_PER_DEG_LAT,
  };
}

export function distanceM(a: LonLat, b: LonLat): number {
  const { x, y } = toLocalMetres(a, b);
  return Math.hypot(x, y);
}

/** Metres from `point` to the nearest point of the polyline `line`. */
export function distanceToLineM(point: LonLat, line: readonly LonLat[]): number {
  let best = Number.POSITIVE_INFINITY;
  for (let i = 0; i < line.length; i++) {
    const a = toLocalMetres(point, line[i] as LonLat);
    const b = i + 1 < line.length ? toLocalMetres(point, line[i + 1] as LonLat) : a;
    best = Math.min(best, distanceToSegment(a, b));
  }
  return best;
}

/** Distance from the origin to the segment a-b (all in local metres). */
function distanceToSegment(a: { x: number; y: number }, b: { x: number; y: number }): number {
  const dx = b.x - a.x;
  const dy = b.y - a.y;
  const lengthSq = dx * dx + dy * dy;
  const t = lengthSq === 0 ? 0 : Math.max(0, Math.min(1, -(a.x * dx + a.y * dy) / lengthSq));
  return Math.hypot(a.x + t * dx, a.y + t * dy);
}

/**
 * Coordinates as a caller reads them out: decimal degrees, latitude first, five decimals
 * (about a metre - finer than the estimate, coarser would lose the object a number names).
 */
export function formatCoordinates(lat: number, lon: number): string {
  return `${lat.toFixed(5)}, ${lon.toFixed(5)}`;
}

/** A scale bar's length: a round number of metres near `target` (1, 2 or 5 times a power of ten). */
export function roundScaleM(target: number): number {
  const power = 10 ** Math.floor(Math.log10(Math.max(target, 1)));
  const step = [5, 2, 1].find((m) => m * power <= target) ?? 1;
  return step * power;
}
