import { distance } from 'geokdbush';

/**
 * Great-circle distance in metres between two points given as longitude, latitude (GeoJSON's
 * order). It is geokdbush's own haversine (earth radius 6371 km), so the distances the index
 * reports agree with the order its nearest-neighbour search returns objects in.
 */
export function distanceM(lon1: number, lat1: number, lon2: number, lat2: number): number {
  return distance(lon1, lat1, lon2, lat2) * 1000;
}
