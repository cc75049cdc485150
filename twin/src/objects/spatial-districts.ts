import { booleanPointInPolygon } from '@turf/boolean-point-in-polygon';
import type { DistrictRecord } from './object-record.ts';

interface Bounded {
  code: string;
  boundary: DistrictRecord['boundary'];
  west: number;
  south: number;
  east: number;
  north: number;
}

/**
 * Which district a point lies in: @turf's point-in-polygon on each district's boundary (holes
 * and MultiPolygons included), after a bounding-box check that rules most districts out in four
 * comparisons - a point-in-polygon test walks every vertex of a border drawn in hundreds.
 */
export class DistrictLocator {
  private readonly districts: Bounded[];

  constructor(districts: readonly DistrictRecord[]) {
    this.districts = districts.map((d) => ({ code: d.code, boundary: d.boundary, ...bounds(d.boundary) }));
  }

  /** The code of the district holding the point (a point on a shared border: the first listed), or null. */
  at(lon: number, lat: number): string | null {
    for (const d of this.districts) {
      if (lon < d.west || lon > d.east || lat < d.south || lat > d.north) continue;
      if (booleanPointInPolygon([lon, lat], d.boundary)) return d.code;
    }
    return null;
  }

  get size(): number {
    return this.districts.length;
  }
}

/** The bounding box of a boundary's outer rings (holes lie inside them). */
function bounds(boundary: DistrictRecord['boundary']) {
  const polygons = boundary.type === 'Polygon' ? [boundary.coordinates] : boundary.coordinates;
  let west = Infinity;
  let south = Infinity;
  let east = -Infinity;
  let north = -Infinity;
  for (const polygon of polygons) {
    for (const [lon = NaN, lat = NaN] of polygon[0] ?? []) {
      west = Math.min(west, lon);
      east = Math.max(east, lon);
      south = Math.min(south, lat);
      north = Math.max(north, lat);
    }
  }
  return { west, south, east, north };
}
