import { DISTRICT_CODE, OBJECT_LIMITS } from '../../contract/objects.ts';
import type { DistrictRecord } from '../object-record.ts';
import { quote, textProblem } from './check-text.ts';

export type CheckedDistrict =
  | { ok: true; record: DistrictRecord; vertices: number }
  | { ok: false; code: string | undefined; reasons: string[] };

const CODE = new RegExp(DISTRICT_CODE);

/**
 * Checks a GeoJSON district feature (`kind: "district"`, `code`, `name`, `nameEn`, a Polygon or
 * MultiPolygon of closed rings of [lon, lat]).
 */
export function checkDistrict(
  properties: Record<string, unknown>,
  geometry: { type?: unknown; coordinates?: unknown },
): CheckedDistrict {
  const reasons: string[] = [];
  const problem = (field: string, why: string) => reasons.push(`${field}: ${why}`);
  const { code, name, nameEn } = properties;

  if (typeof code !== 'string' || !CODE.test(code)) {
    problem('code', `${quote(code)} is not a district code (1-16 letters, digits, - or _)`);
  }
  const label = name === undefined || name === null ? code : name;
  if (typeof label !== 'string') problem('name', `must be text, not ${quote(name)}`);
  else {
    const bad = textProblem(label, OBJECT_LIMITS.districtName);
    if (bad) problem('name', bad);
  }
  if (nameEn !== undefined && nameEn !== null) {
    const bad = typeof nameEn === 'string' ? textProblem(nameEn, OBJECT_LIMITS.districtName) : 'must be text';
    if (bad) problem('nameEn', bad);
  }

  let polygons: unknown[] = [];
  if (geometry.type === 'Polygon') polygons = [geometry.coordinates];
  else if (geometry.type === 'MultiPolygon' && Array.isArray(geometry.coordinates)) polygons = geometry.coordinates;
  else problem('geometry', `a district needs a Polygon or MultiPolygon, not ${quote(geometry.type)}`);
  let vertices = 0;
  polygons.forEach((polygon, p) => {
    const why = polygonProblem(polygon);
    if (typeof why === 'string') problem('geometry', polygons.length > 1 ? `polygon ${p}: ${why}` : why);
    else vertices += why;
  });

  if (reasons.length > 0) return { ok: false, code: typeof code === 'string' ? code : undefined, reasons };
  const boundary = (
    geometry.type === 'Polygon'
      ? { type: 'Polygon', coordinates: geometry.coordinates }
      : { type: 'MultiPolygon', coordinates: geometry.coordinates }
  ) as DistrictRecord['boundary'];
  return {
    ok: true,
    vertices,
    record: {
      code: code as string,
      name: label as string,
      nameEn: typeof nameEn === 'string' ? nameEn : null,
      boundary,
    },
  };
}

/** Why a polygon's rings are not closed rings of [lon, lat] positions, or its vertex count. */
function polygonProblem(polygon: unknown): string | number {
  if (!Array.isArray(polygon) || polygon.length === 0) return 'a polygon is a list of rings';
  let vertices = 0;
  for (const ring of polygon) {
    if (!Array.isArray(ring) || ring.length < 4) return 'a ring needs at least 4 positions';
    for (const position of ring) {
      if (!Array.isArray(position) || position.length < 2 || position.length > 3) {
        return 'a position is [lon, lat]';
      }
      const [lon, lat] = position as unknown[];
      if (typeof lon !== 'number' || !Number.isFinite(lon) || lon < -180 || lon > 180)
        return `bad longitude ${quote(lon)}`;
      if (typeof lat !== 'number' || !Number.isFinite(lat) || lat < -90 || lat > 90)
        return `bad latitude ${quote(lat)}`;
    }
    const first = ring[0] as number[];
    const last = ring[ring.length - 1] as number[];
    if (first[0] !== last[0] || first[1] !== last[1]) return 'a ring must end where it starts';
    vertices += ring.length;
  }
  return vertices;
}
