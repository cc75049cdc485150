import type { ReportCategory } from '@city/twin/contract';
import { useEffect, useRef, useState } from 'preact/hooks';
import { type DistrictNames, districtName } from '../map/district-names.ts';
import { fill, type Lang } from '../shared/i18n.ts';
import { incidentStatusLabel } from '../shared/incident-status-labels.ts';
import { css, SEVERITY_COLORS, SEVERITY_SYMBOLS } from '../shared/palette.ts';
import { useNow } from '../shared/use-now.ts';
import { alarmTypeLabel, type DeskStrings, SEVERITY_KEYS } from './strings.ts';
import { formatDuration, isUntaken, itemKey, slaClock, type WorkItem } from './work-items.ts';

export interface WorkListProps {
  items: WorkItem[];
  selectedKey: string | null;
  onSelect(key: string): void;
  t: DeskStrings;
  lang: Lang;
  categories: ReadonlyMap<string, ReportCategory>;
  districts: DistrictNames;
}

/**
 * The work list as a listbox: one tab stop (the current item), ↑ ↓ Home End move between items,
 * Enter or Space opens one. Each row says its severity or kind in a word and a symbol beside the
 * colour, and an overdue incident says so in words.
 */
export function WorkListView({ items, selectedKey, onSelect, t, lang, categories, districts }: WorkListProps) {
  const [focusKey, setFocusKey] = useState<string | null>(selectedKey);
  const list = useRef<HTMLDivElement>(null);
  const now = useNow(15_000);
  const current = items.some((i) => itemKey(i) === focusKey)
    ? focusKey
    : items.some((i) => itemKey(i) === selectedKey)
      ? selectedKey
      : items[0]
        ? itemKey(items[0])
        : null;

  useEffect(() => {
    if (selectedKey) setFocusKey(selectedKey);
  }, [selectedKey]);

  const move = (to: number) => {
    const item = items[Math.max(0, Math.min(items.length - 1, to))];
    if (!item) return;
    const key = itemKey(item);
    setFocusKey(key);
    list.current?.querySelector<HTMLElement>(`[data-key="${key}"]`)?.focus();
  };

  const onKeyDown = (e: KeyboardEvent) => {
    const index = items.findIndex((i) => itemKey(i) === current);
    switch (e.key) {
      case 'ArrowDown':
        move(index + 1);
        break;
      case 'ArrowUp':
        move(index - 1);
        break;
      case 'Home':
        move(0);
        break;
      case 'End':
        move(items.length - 1);
        break;
      case 'Enter':
      case ' ':
        if (current) onSelect(current);
        break;
      default:
        return;
    }
    e.preventDefault();
  };

  const units = { s: t.unitS, min: t.unitMin, h: t.unitH, d: t.unitD };
  return (
    <div class="work-list" role="listbox" aria-label={t.workList} aria-describedby="work-help" ref={list}>
      {items.map((item) => {
        const key = itemKey(item);
        const sla = slaClock(item, now);
        const untaken = isUntaken(item);
        const district = item.kind === 'alarm' ? item.alarm.district : item.incident.district;
        return (
          <div
            key={key}
            data-key={key}
            data-testid="work-item"
            role="option"
            aria-selected={key === selectedKey}
            tabIndex={key === current ? 0 : -1}
            class={`work-item${sla.overdue ? ' overdue' : ''}${untaken ? ' untaken' : ''}`}
            onFocus={() => setFocusKey(key)}
            onClick={() => onSelect(key)}
            onKeyDown={onKeyDown}
          >
            {item.kind === 'alarm' ? (
              <span class="badge severity" style={{ borderColor: css(SEVERITY_COLORS[item.alarm.severity]) }}>
                <span aria-hidden="true" style={{ color: css(SEVERITY_COLORS[item.alarm.severity]) }}>
                  {SEVERITY_SYMBOLS[item.alarm.severity]}
                </span>{' '}
                {t[SEVERITY_KEYS[item.alarm.severity]]}
              </span>
            ) : (
              <span class="badge incident-badge">
                <span aria-hidden="true">✉</span> {t.incident}
              </span>
            )}
            <span class="what">
              {item.kind === 'alarm'
                ? alarmTypeLabel(item.alarm.type, lang)
                : (categories.get(item.incident.category)?.[lang] ?? item.incident.category)}
            </span>
            <span class="where">
              {(item.kind === 'alarm' ? item.alarm.objectNumber : item.incident.objectNumber) ??
                (item.kind === 'alarm' ? item.alarm.subject : '')}
              {district && ` · ${districtName(district, districts, lang)}`}
            </span>
            <span class="state" data-testid="item-state">
              {item.kind === 'alarm'
                ? item.alarm.status === 'cleared'
                  ? t.cleared
                  : item.alarm.acknowledged
                    ? `✓ ${t.acknowledged}`
                    : `● ${t.notAcknowledged}`
                : incidentStatusLabel(item.incident.status, lang)}
              {item.kind === 'alarm' &&
                item.alarm.assignee &&
                ` · ${fill(t.assignedTo, { name: item.alarm.assignee })}`}
              {item.kind === 'incident' &&
                item.incident.assignee &&
                ` · ${fill(t.assignedTo, { name: item.incident.assignee.name })}`}
            </span>
            <span class="sla">
              {fill(t.raisedAgo, { t: formatDuration(sla.ageMs, units) })}
              {sla.leftMs !== null &&
                (sla.overdue ? (
                  <strong class="overdue-flag">
                    {' · ⚠ '}
                    {fill(t.slaOverdue, { t: formatDuration(sla.leftMs, units) })}
                  </strong>
                ) : (
                  ` · ${fill(t.slaLeft, { t: formatDuration(sla.leftMs, units) })}`
                ))}
            </span>
          </div>
        );
      })}
    </div>
  );
}
