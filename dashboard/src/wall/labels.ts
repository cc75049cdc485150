import { OBJECT_TYPES } from '@city/twin/contract';
import { type DistrictNames, districtName } from '../map/district-names.ts';
import { type Lang, labelIn } from '../shared/i18n.ts';
import { incidentStatusLabel } from '../shared/incident-status-labels.ts';
import type { FeedItem } from './feed.ts';
import { alarmTypeLabel, type WallStrings } from './strings.ts';

/**
 * How the wall words what the API sends as ids: districts by name, alarm types and report
 * categories by label, object types by the contract's labels. Unknown ids show as they are
 * (a city's own rules and categories), never as an empty cell.
 */
export interface WallLabels {
  lang: Lang;
  t: WallStrings;
  districts: DistrictNames;
  categories: ReadonlyMap<string, { uk: string; en: string }>;
}

export function districtLabel(code: string | null, l: WallLabels): string {
  if (code === null || code === '') return l.t.noDistrict;
  return districtName(code, l.districts, l.lang);
}

export function categoryLabel(item: Pick<FeedItem, 'kind' | 'category'>, l: WallLabels): string {
  if (item.kind === 'alarm') return alarmTypeLabel(item.category, l.lang);
  return l.categories.get(item.category)?.[l.lang] ?? item.category;
}

export function objectTypeLabel(type: string | null, l: WallLabels): string | null {
  if (type === null) return null;
  return labelIn(OBJECT_TYPES, type, l.lang);
}

export function statusLabel(status: string, l: WallLabels): string {
  return incidentStatusLabel(status, l.lang);
}
