import {
  ALARM_SEVERITIES,
  type AlarmSeverity,
  type DistrictAggregates,
  type ReportCategory,
} from '@city/twin/contract';
import { useEffect, useState } from 'preact/hooks';
import { type DistrictName, type DistrictNames, districtName, loadDistrictNames } from '../map/district-names.ts';
import { api } from '../shared/api.ts';
import type { Lang } from '../shared/i18n.ts';
import { type DeskApi, errorText } from './desk-api.ts';
import { alarmTypeLabel, type DeskStrings, SEVERITY_KEYS, STATUS_FILTER_KEYS } from './strings.ts';
import { STATUS_FILTERS, type StatusFilter, type WorkFilter } from './work-items.ts';

/** The alarm types the shipped rules raise; types seen in the list are added to these. */
const KNOWN_ALARM_TYPES = [
  'water_burst',
  'water_leak',
  'water_backflow',
  'tamper',
  'index_backwards',
  'lamp_failure',
  'lamp_day_burning',
  'bin_fire',
  'bin_full',
  'bin_tilted',
  'air_quality',
  'battery_low',
  'device_offline',
];

export interface ReferenceData {
  categories: ReadonlyMap<string, ReportCategory>;
  districts: string[];
  /** The districts' names by code; codes show where a name is missing. */
  districtNames: DistrictNames;
  error: string | null;
}

/** What the filters offer: the report categories (with their time to resolve) and the districts. */
export function useReferenceData(call: DeskApi): ReferenceData {
  const [data, setData] = useState<ReferenceData>({
    categories: new Map(),
    districts: [],
    districtNames: new Map(),
    error: null,
  });
  useEffect(() => {
    Promise.all([
      api<ReportCategory[]>('/api/v1/report-categories'),
      call<DistrictAggregates>('/api/v1/districts/aggregates'),
      // Without names the desk still works, by codes.
      loadDistrictNames().catch(() => new Map<string, DistrictName>()),
    ]).then(
      ([categories, aggregates, districtNames]) =>
        setData({
          categories: new Map(categories.map((c) => [c.id, c])),
          districts: aggregates.districts.map((d) => d.district).filter((d): d is string => d !== null),
          districtNames,
          error: null,
        }),
      (err) => setData((d) => ({ ...d, error: errorText(err) })),
    );
  }, [call]);
  return data;
}

export interface WorkFiltersProps {
  filter: WorkFilter;
  onChange(filter: WorkFilter): void;
  t: DeskStrings;
  lang: Lang;
  reference: ReferenceData;
  /** Alarm types and districts of the items held, so that a city's own types can be picked too. */
  seenTypes: string[];
  seenDistricts: string[];
}

export function WorkFilters({ filter, onChange, t, lang, reference, seenTypes, seenDistricts }: WorkFiltersProps) {
  const set = (patch: Partial<WorkFilter>) => onChange({ ...filter, ...patch });
  const types = [...new Set([...KNOWN_ALARM_TYPES, ...seenTypes])];
  const districts = [...new Set([...reference.districts, ...seenDistricts])]
    .map((code) => ({ code, name: districtName(code, reference.districtNames, lang) }))
    .sort((a, b) => a.name.localeCompare(b.name, lang));
  return (
    <form class="work-filters" aria-label={t.filters} onSubmit={(e) => e.preventDefault()}>
      <label class="search">
        {t.search}
        <input
          id="work-search"
          type="search"
          value={filter.search}
          maxLength={100}
          aria-keyshortcuts="/"
          onInput={(e) => set({ search: e.currentTarget.value })}
        />
      </label>
      <label>
        {t.filterStatus}
        <select
          value={filter.status}
          data-testid="filter-status"
          onChange={(e) => set({ status: e.currentTarget.value as StatusFilter })}
        >
          {STATUS_FILTERS.map((s) => (
            <option key={s} value={s}>
              {t[STATUS_FILTER_KEYS[s]]}
            </option>
          ))}
        </select>
      </label>
      <label>
        {t.filterSeverity}
        <select
          value={filter.severity}
          onChange={(e) => set({ severity: e.currentTarget.value as AlarmSeverity | '' })}
        >
          <option value="">{t.any}</option>
          {ALARM_SEVERITIES.map((s) => (
            <option key={s} value={s}>
              {t[SEVERITY_KEYS[s]]}
            </option>
          ))}
        </select>
      </label>
      <label>
        {t.filterKind}
        <select value={filter.kind} onChange={(e) => set({ kind: e.currentTarget.value })}>
          <option value="">{t.any}</option>
          <optgroup label={t.alarm}>
            {types.map((type) => (
              <option key={type} value={`alarm:${type}`}>
                {alarmTypeLabel(type, lang)}
              </option>
            ))}
          </optgroup>
          <optgroup label={t.incident}>
            {[...reference.categories.values()].map((c) => (
              <option key={c.id} value={`incident:${c.id}`}>
                {c[lang]}
              </option>
            ))}
          </optgroup>
        </select>
      </label>
      <label>
        {t.filterDistrict}
        <select value={filter.district} onChange={(e) => set({ district: e.currentTarget.value })}>
          <option value="">{t.any}</option>
          {districts.map((d) => (
            <option key={d.code} value={d.code}>
              {d.name}
            </option>
          ))}
        </select>
      </label>
    </form>
  );
}
