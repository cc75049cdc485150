import { type Queryable, textArray } from '@city/ingest';
import type { StreetRecord } from './street-record.ts';

/** The streets table's one owner (migrations/006_streets.sql). */

export async function listStreets(db: Queryable): Promise<StreetRecord[]> {
  const { rows } = await db.query<{
    name: string;
    district: string | null;
    geometry: { coordinates: [number, number][] };
  }>('SELECT name, district, geometry FROM streets ORDER BY id');
  return rows.map((r) => ({ name: r.name, district: r.district, line: r.geometry.coordinates }));
}

/** Every street replaced by `streets` (an import's), in the caller's transaction. */
export async function replaceStreets(db: Queryable, streets: readonly StreetRecord[]): Promise<void> {
  await db.query('DELETE FROM streets');
  if (streets.length === 0) return;
  await db.query(
    `INSERT INTO streets (name, district, geometry)
     SELECT * FROM unnest($1::text[], $2::text[], $3::jsonb[])`,
    [
      textArray(streets.map((s) => s.name)),
      textArray(streets.map((s) => s.district)),
      textArray(streets.map((s) => JSON.stringify({ type: 'LineString', coordinates: s.line }))),
    ],
  );
}

/** The counter that moves when streets or districts change: what the base map's cache keys on. */
export async function baseMapVersion(db: Queryable): Promise<string> {
  const { rows } = await db.query<{ v: string | null }>(
    `SELECT string_agg(name || '=' || version, ',' ORDER BY name) AS v
       FROM object_registry_versions WHERE name IN ('districts', 'streets')`,
  );
  return rows[0]?.v ?? '';
}
