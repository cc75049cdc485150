import { api } from '../shared/api.ts';
import type { Lang } from '../shared/i18n.ts';
import { readBaseMap } from './map-base.ts';

export interface DistrictName {
  name: string;
  nameEn: string | null;
}

export type DistrictNames = ReadonlyMap<string, DistrictName>;

/**
 * District names by code, from the base map (public, cached by the browser for 5 minutes, and
 * what the map fetches anyway): the API names districts by code in alarms, incidents and
 * aggregates; people read names.
 */
export async function loadDistrictNames(): Promise<Map<string, DistrictName>> {
  const base = readBaseMap(await api<unknown>('/api/v1/map/base'));
  return new Map(base.districts.map((d) => [d.code, { name: d.name, nameEn: d.nameEn }]));
}

/** A district's name in `lang`; its code when the names do not know it (not loaded yet, a city's own). */
export function districtName(code: string, names: DistrictNames, lang: Lang): string {
  const d = names.get(code);
  if (!d) return code;
  return lang === 'en' ? (d.nameEn ?? d.name) : d.name;
}
