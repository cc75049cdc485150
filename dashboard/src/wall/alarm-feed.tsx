import { fill } from '../shared/i18n.ts';
import { css, SEVERITY_COLORS, SEVERITY_SYMBOLS } from '../shared/palette.ts';
import { ageOf, FEED_GROUPINGS, FEED_SHOWN, type FeedGrouping, type FeedItem, groupFeed } from './feed.ts';
import { categoryLabel, districtLabel, objectTypeLabel, statusLabel, type WallLabels } from './labels.ts';

/**
 * The live feed: one row per active alarm or residents' open report, worst and newest first,
 * flat or grouped by category or district. Severity is read three ways (colour, symbol, word),
 * acknowledgement two (mark and word), so nothing rides on colour alone. A row is a button: it
 * focuses the situation (map and panel).
 */
export interface AlarmFeedProps {
  items: readonly FeedItem[];
  grouping: FeedGrouping;
  onGrouping: (grouping: FeedGrouping) => void;
  onPick: (item: FeedItem) => void;
  selected: string | null;
  now: number;
  labels: WallLabels;
}

export function AlarmFeed({ items, grouping, onGrouping, onPick, selected, now, labels }: AlarmFeedProps) {
  const { t } = labels;
  const shown = items.slice(0, FEED_SHOWN);
  const rows = (list: readonly FeedItem[]) => (
    <ol class="feed-list">
      {list.map((item) => (
        <FeedRow
          key={item.key}
          item={item}
          now={now}
          labels={labels}
          selected={item.key === selected}
          onPick={onPick}
        />
      ))}
    </ol>
  );
  return (
    <section class="feed" aria-labelledby="feed-title" data-testid="feed">
      <header class="panel-head">
        <h2 id="feed-title">{t.feedTitle}</h2>
        <span class="feed-count" data-testid="feed-count">
          {fill(t.feedCount, { n: items.length })}
        </span>
      </header>
      <fieldset class="segmented" data-testid="feed-grouping">
        <legend class="visually-hidden">{t.grouping}</legend>
        <span aria-hidden="true">{t.grouping}:</span>
        {FEED_GROUPINGS.map((g) => (
          <button key={g} type="button" data-grouping={g} aria-pressed={g === grouping} onClick={() => onGrouping(g)}>
            {t[`group_${g}`]}
          </button>
        ))}
      </fieldset>
      {items.length === 0 && <p class="feed-empty">{t.feedEmpty}</p>}
      {grouping === 'none'
        ? rows(shown)
        : groupFeed(shown, grouping).map((group) => (
            <section key={group.key} class="feed-group" data-group={group.key}>
              <h3>
                {group.worst && (
                  <span style={{ color: css(SEVERITY_COLORS[group.worst]) }} aria-hidden="true">
                    {SEVERITY_SYMBOLS[group.worst]}{' '}
                  </span>
                )}
                {grouping === 'category'
                  ? categoryLabel(group.items[0] as FeedItem, labels)
                  : districtLabel(group.key || null, labels)}
                <span class="group-count"> · {group.items.length}</span>
              </h3>
              {rows(group.items)}
            </section>
          ))}
      {items.length > shown.length && <p class="feed-more">{fill(t.feedMore, { n: items.length - shown.length })}</p>}
    </section>
  );
}

function FeedRow({
  item,
  now,
  labels,
  selected,
  onPick,
}: {
  item: FeedItem;
  now: number;
  labels: WallLabels;
  selected: boolean;
  onPick: (item: FeedItem) => void;
}) {
  const { t } = labels;
  const age = ageOf(item.at, now);
  const type = objectTypeLabel(item.objectType, labels);
  return (
    <li
      class={`feed-item${item.acknowledged ? ' acked' : ''}${selected ? ' selected' : ''}`}
      data-testid="feed-item"
      data-key={item.key}
      data-kind={item.kind}
      data-severity={item.severity ?? 'report'}
      data-acknowledged={item.acknowledged ? 'true' : 'false'}
      data-object={item.objectNumber ?? ''}
    >
      <button type="button" onClick={() => onPick(item)} aria-pressed={selected}>
        <span class="sev" style={item.severity ? { borderColor: css(SEVERITY_COLORS[item.severity]) } : undefined}>
          <span
            class="sev-symbol"
            style={item.severity ? { color: css(SEVERITY_COLORS[item.severity]) } : undefined}
            aria-hidden="true"
          >
            {item.severity ? SEVERITY_SYMBOLS[item.severity] : t.reportSymbol}
          </span>
          <span class="sev-word">{item.severity ? t[`severity_${item.severity}`] : t.reportWord}</span>
        </span>
        <span class="what">
          <strong class="category">{categoryLabel(item, labels)}</strong>
          <span class="object">
            <span class="number">{item.objectNumber ?? item.subject}</span>
            {type && <span class="type"> · {type}</span>}
          </span>
        </span>
        <span class="where">{districtLabel(item.district, labels)}</span>
        <span class="when">
          <span class="age">{t[`age_${age.unit}`].replace('{n}', String(age.n))}</span>
          {item.count > 1 && <span class="repeats"> {fill(t.repeats, { n: item.count })}</span>}
        </span>
        <span class="state">
          {item.kind === 'report'
            ? statusLabel(item.status ?? 'new', labels)
            : item.acknowledged
              ? t.acknowledged
              : t.unacknowledged}
        </span>
      </button>
    </li>
  );
}
