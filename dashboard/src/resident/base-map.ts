import { api } from '../shared/api.ts';
import type { LonLat } from './geo.ts';

/**
 * The city's districts and streets for the small map, from `GET /api/v1/map/base` (public
 * GeoJSON: district Polygons/MultiPolygons with `name`/`nameEn`, street LineStrings with
 * `name`). Fetched once per visit, only when a map is shown. Read as if anyone wrote it: a
 * feature that is not what it should be is skipped, and the whole is bounded.
 */
export interface BaseMap {
  districts: { name: string; nameEn: string | null; rings: LonLat[][] }[];
  streets: { name: string; lines: LonLat[][] }[];
}

const MAX_FEATURES = 100_000;
const MAX_VERTICES = 2_000_000;
const MAX_NAME = 200;

let pending: Promise<BaseMap | null> | undefined;

/** The base map, or null when the server has none (an older server: the map draws without streets). */
export function loadBaseMap(): Promise<BaseMap | null> {
  pending ??= api<unknown>('/api/v1/map/base')
    .then(readBaseMap)
    .catch(() => {
      // Asked again on the next map: the failure may have been the network's.
      pending = undefined;
      return null;
    });
  return pending;
}

export function readBaseMap(json: unknown): BaseMap {
  const map: BaseMap = { districts: [], streets: [] };
  const features = (json as { features?: unknown } | null)?.features;
  if (!Array.isArray(features)) return map;
  const budget = { vertices: MAX_VERTICES };
  for (const feature of features.slice(0, MAX_FEATURES)) {
    if (typeof feature !== 'object' || feature === null) continue;
    const { geometry, properties } = feature as {
      geometry?: { type?: unknown; coordinates?: unknown } | null;
      properties?: Record<string, unknown> | null;
    };
    const props = typeof properties === 'object' && properties !== null ? properties : {};
    const name = text(props.name);
    switch (geometry?.type) {
      case 'LineString':
      case 'MultiLineString': {
        const parts = geometry.type === 'LineString' ? [geometry.coordinates] : geometry.coordinates;
        const lines = lineList(parts, budget);
        if (lines.length > 0) map.streets.push({ name: name ?? '', lines });
        break;
      }
      case 'Polygon':
      case 'MultiPolygon': {
        const polygons = geometry.type === 'Polygon' ? [geometry.coordinates] : geometry.coordinates;
        // Outer rings only: the small map outlines districts, holes add nothing to it.
        const outer = Array.isArray(polygons) ? polygons.map((p) => (Array.isArray(p) ? p[0] : undefined)) : [];
        const rings = lineList(outer, budget);
        if (rings.length > 0) map.districts.push({ name: name ?? '', nameEn: text(props.nameEn), rings });
        break;
      }
      default:
        break;
    }
  }
  return map;
}

function text(value: unknown): string | null {
  return typeof value === 'string' && value.trim() ? value.trim().slice(0, MAX_NAME) : null;
}

function lineList(parts: unknown, budget: { vertices: number }): LonLat[][] {
  if (!Array.isArray(parts)) return [];
  const lines: LonLat[][] = [];
  for (const part of parts) {
    if (!Array.isArray(part)) continue;
    const line: LonLat[] = [];
    for (const position of part) {
      if (budget.vertices <= 0) return lines;
      const lon = Array.isArray(position) ? position[0] : undefined;
      const lat = Array.isArray(position) ? position[1] : undefined;
      if (typeof lon !== 'number' || typeof lat !== 'number') continue;
      if (!(Math.abs(lon) <= 180 && Math.abs(lat) <= 90)) continue;
      line.push([lon, lat]);
      budget.vertices--;
    }
    if (line.length >= 2) lines.push(line);
  }
  return lines;
}
