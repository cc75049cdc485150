import { booleanPointInPolygon } from '@turf/boolean-point-in-polygon';
import type { DistrictRecord } from '../object-record.ts';

/** How far outside every district an object may stand: suburbs, a water intake, a landfill. */
export const EXTENT_MARGIN_M = 5_000;

const M_PER_DEG_LAT = 111_320;

interface Box {
  west: number;
  south: number;
  east: number;
  north: number;
}

function boxOf(boundary: DistrictRecord['boundary']): Box {
  const box = { west: Infinity, south: Infinity, east: -Infinity, north: -Infinity };
  const polygons = boundary.type === 'Polygon' ? [boundary.coordinates] : boundary.coordinates;
  for (const polygon of polygons) {
    for (const [lon, lat] of polygon[0] ?? []) {
      box.west = Math.min(box.west, lon as number);
      box.east = Math.max(box.east, lon as number);
      box.south = Math.min(box.south, lat as number);
      box.north = Math.max(box.north, lat as number);
    }
  }
  return box;
}

/**
 * The city as its districts draw it: which district a point lies in (point-in-polygon, after a
 * bounding-box test), and how far a point lies outside the districts' extent - so a file with
 * latitude and longitude swapped, or a point in another city, is caught.
 */
export class CityExtent {
  private readonly districts: { record: DistrictRecord; box: Box }[];
  private readonly extent: Box | undefined;

  constructor(districts: Iterable<DistrictRecord>) {
    this.districts = [...districts].map((record) => ({ record, box: boxOf(record.boundary) }));
    this.extent = this.districts.reduce<Box | undefined>(
      (all, { box }) =>
        all
          ? {
              west: Math.min(all.west, box.west),
              south: Math.min(all.south, box.south),
              east: Math.max(all.east, box.east),
              north: Math.max(all.north, box.north),
            }
          : box,
      undefined,
    );
  }

  /** The code of the district the point lies in, or null outside them all. */
  districtAt(lat: number, lon: number): string | null {
    for (const { record, box } of this.districts) {
      if (lon < box.west || lon > box.east || lat < box.south || lat > box.north) continue;
      if (booleanPointInPolygon([lon, lat], record.boundary)) return record.code;
    }
    return null;
  }

  /** Metres the point lies outside the districts' bounding box (0 inside it, or when there are no districts). */
  metresOutside(lat: number, lon: number): number {
    const e = this.extent;
    if (!e) return 0;
    const dLat = Math.max(e.south - lat, 0, lat - e.north) * M_PER_DEG_LAT;
    const cos = Math.cos((((e.south + e.north) / 2) * Math.PI) / 180);
    const dLon = Math.max(e.west - lon, 0, lon - e.east) * M_PER_DEG_LAT * cos;
    return Math.hypot(dLat, dLon);
  }
}
