import { STREET_LIMITS } from '@city/twin/contract';

/**
 * The city's districts and streets from `GET /api/v1/map/base`, checked: the base map style,
 * the air-quality zones, the outage areas and the labels all draw from it. Read as anyone could
 * have written it: features that are not what they claim are skipped, and the whole is bounded
 * (features, vertices, name lengths), so a hostile or broken answer cannot stall the page.
 */
export type Ring = [number, number][];

export interface BaseDistrict {
  code: string;
  name: string;
  nameEn: string | null;
  /** Polygons, each outer ring then holes. */
  polygons: Ring[][];
  /** Where its label goes: the centre of its largest outer ring's box. */
  labelAt: [number, number];
}

export interface BaseStreet {
  name: string;
  line: Ring;
}

export interface BaseMap {
  districts: BaseDistrict[];
  streets: BaseStreet[];
  /** The GeoJSON as it came, for MapLibre's source (only checked features). */
  geojson: { type: 'FeatureCollection'; features: object[] };
  bounds: [number, number, number, number] | null;
}

const MAX_DISTRICTS = 1000;
const MAX_DISTRICT_VERTICES = 500_000;

export function readBaseMap(json: unknown): BaseMap {
  const base: BaseMap = {
    districts: [],
    streets: [],
    geojson: { type: 'FeatureCollection', features: [] },
    bounds: null,
  };
  const features = (json as { features?: unknown } | null)?.features;
  if (!Array.isArray(features)) return base;
  const budget = { district: MAX_DISTRICT_VERTICES, street: STREET_LIMITS.totalVertices };
  const box = { west: 180, south: 90, east: -180, north: -90 };
  for (const feature of features.slice(0, MAX_DISTRICTS + STREET_LIMITS.streets)) {
    const f = feature as { geometry?: { type?: unknown; coordinates?: unknown }; properties?: Record<string, unknown> };
    const props = f?.properties ?? {};
    const geometry = f?.geometry;
    if (!geometry || typeof props !== 'object') continue;
    if (props.kind === 'street' && geometry.type === 'LineString' && base.streets.length < STREET_LIMITS.streets) {
      const line = readRing(geometry.coordinates, STREET_LIMITS.vertices, budget, 'street');
      if (!line || line.length < 2) continue;
      const name = text(props.name) ?? '';
      base.streets.push({ name, line });
      base.geojson.features.push({
        type: 'Feature',
        properties: { kind: 'street', name },
        geometry: { type: 'LineString', coordinates: line },
      });
    } else if (
      props.kind === 'district' &&
      (geometry.type === 'Polygon' || geometry.type === 'MultiPolygon') &&
      base.districts.length < MAX_DISTRICTS
    ) {
      const raw = geometry.type === 'Polygon' ? [geometry.coordinates] : geometry.coordinates;
      if (!Array.isArray(raw)) continue;
      const polygons: Ring[][] = [];
      for (const polygon of raw.slice(0, 1000)) {
        if (!Array.isArray(polygon)) continue;
        const rings = polygon
          .slice(0, 1000)
          .map((r) => readRing(r, MAX_DISTRICT_VERTICES, budget, 'district'))
          .filter((r): r is Ring => r !== null && r.length >= 4);
        if (rings.length > 0) polygons.push(rings);
      }
      const code = text(props.code);
      if (polygons.length === 0 || code === null) continue;
      for (const polygon of polygons) for (const [lon, lat] of polygon[0] as Ring) grow(box, lon, lat);
      const district: BaseDistrict = {
        code,
        name: text(props.name) ?? code,
        nameEn: text(props.nameEn),
        polygons,
        labelAt: labelPoint(polygons),
      };
      base.districts.push(district);
      base.geojson.features.push({
        type: 'Feature',
        properties: { kind: 'district', code, name: district.name },
        geometry: { type: 'MultiPolygon', coordinates: polygons },
      });
    }
  }
  if (base.districts.length === 0) for (const s of base.streets) for (const [lon, lat] of s.line) grow(box, lon, lat);
  if (box.west <= box.east) base.bounds = [box.west, box.south, box.east, box.north];
  return base;
}

function readRing(
  value: unknown,
  max: number,
  budget: { district: number; street: number },
  kind: 'district' | 'street',
): Ring | null {
  if (!Array.isArray(value) || value.length > max || value.length > budget[kind]) return null;
  const ring: Ring = [];
  for (const point of value) {
    if (!Array.isArray(point)) return null;
    const [lon, lat] = point as unknown[];
    if (typeof lon !== 'number' || typeof lat !== 'number') return null;
    if (!(Number.isFinite(lon) && Number.isFinite(lat) && Math.abs(lon) <= 180 && Math.abs(lat) <= 90)) return null;
    ring.push([lon, lat]);
  }
  budget[kind] -= ring.length;
  return ring;
}

function text(value: unknown): string | null {
  return typeof value === 'string' && value.length > 0 ? value.slice(0, STREET_LIMITS.name) : null;
}

function grow(box: { west: number; south: number; east: number; north: number }, lon: number, lat: number): void {
  if (lon < box.west) box.west = lon;
  if (lon > box.east) box.east = lon;
  if (lat < box.south) box.south = lat;
  if (lat > box.north) box.north = lat;
}

/** The middle of the box of the polygon with the most outer-ring vertices: good enough for convex-ish districts. */
function labelPoint(polygons: Ring[][]): [number, number] {
  let best = polygons[0]?.[0] ?? [];
  for (const p of polygons) if ((p[0]?.length ?? 0) > best.length) best = p[0] as Ring;
  const box = { west: 180, south: 90, east: -180, north: -90 };
  for (const [lon, lat] of best) grow(box, lon, lat);
  return [(box.west + box.east) / 2, (box.south + box.north) / 2];
}

/** The point halfway along a line (by vertex count: streets are drawn evenly): where its name goes. */
export function midpoint(line: Ring): [number, number] {
  if (line.length === 1) return line[0] as [number, number];
  const i = Math.floor((line.length - 1) / 2);
  const a = line[i] as [number, number];
  const b = line[i + 1] as [number, number];
  return [(a[0] + b[0]) / 2, (a[1] + b[1]) / 2];
}
