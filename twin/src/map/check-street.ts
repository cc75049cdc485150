import { STREET_LIMITS } from '../contract/map.ts';
import { quote, textProblem } from '../objects/import/check-text.ts';
import type { StreetRecord } from './street-record.ts';

export type CheckedStreet = { ok: true; record: StreetRecord } | { ok: false; reasons: string[] };

/**
 * Checks an import's street feature (`kind: "street"`, `name`, optional `district`, a LineString
 * of 2 to STREET_LIMITS.vertices [lon, lat] positions), read as an attacker wrote it: every
 * coordinate finite and in range, the vertex count bounded, the name storable text. A third
 * coordinate (height) is accepted and dropped: the map is flat.
 */
export function checkStreet(
  properties: Record<string, unknown>,
  geometry: { type?: unknown; coordinates?: unknown },
  districtCodes: ReadonlySet<string>,
): CheckedStreet {
  const reasons: string[] = [];
  const { name, district } = properties;
  if (typeof name !== 'string') reasons.push(`name: a street needs a name, not ${quote(name)}`);
  else {
    const bad = textProblem(name, STREET_LIMITS.name);
    if (bad) reasons.push(`name: ${bad}`);
  }
  if (district !== undefined && district !== null && (typeof district !== 'string' || !districtCodes.has(district)))
    reasons.push(`district: ${quote(district)} is not a district of the registry or the file`);
  const line: [number, number][] = [];
  if (geometry.type !== 'LineString')
    reasons.push(`geometry: a street needs a LineString, not ${quote(geometry.type)}`);
  else if (!Array.isArray(geometry.coordinates)) reasons.push('geometry: coordinates must be a list of positions');
  else if (geometry.coordinates.length < 2 || geometry.coordinates.length > STREET_LIMITS.vertices)
    reasons.push(`geometry: a street has 2 to ${STREET_LIMITS.vertices} positions, not ${geometry.coordinates.length}`);
  else {
    for (const position of geometry.coordinates) {
      const why = positionProblem(position);
      if (why) {
        reasons.push(`geometry: ${why}`);
        break;
      }
      line.push([(position as number[])[0] as number, (position as number[])[1] as number]);
    }
  }
  if (reasons.length > 0) return { ok: false, reasons };
  return { ok: true, record: { name: name as string, district: typeof district === 'string' ? district : null, line } };
}

function positionProblem(position: unknown): string | undefined {
  if (!Array.isArray(position) || position.length < 2 || position.length > 3) return 'a position is [lon, lat]';
  const [lon, lat, height] = position as unknown[];
  if (typeof lon !== 'number' || !Number.isFinite(lon) || lon < -180 || lon > 180) return `bad longitude ${quote(lon)}`;
  if (typeof lat !== 'number' || !Number.isFinite(lat) || lat < -90 || lat > 90) return `bad latitude ${quote(lat)}`;
  if (height !== undefined && (typeof height !== 'number' || !Number.isFinite(height)))
    return `bad height ${quote(height)}`;
  return undefined;
}
