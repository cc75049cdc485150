import type { Outage } from '@city/twin/contract';
import { fill } from '../shared/i18n.ts';
import { css, SEVERITY_COLORS, SEVERITY_SYMBOLS } from '../shared/palette.ts';
import { timeOfDay } from './kpi-panel.tsx';
import { districtLabel, type WallLabels } from './labels.ts';
import { outageKindLabel } from './strings.ts';
import { SEVERITY_RANK } from './wall-store.ts';

/** The outages view's list: district outages, worst and largest first. */
export function OutagesPanel({ outages, labels }: { outages: readonly Outage[]; labels: WallLabels }) {
  const { t, lang } = labels;
  const rows = [...outages].sort(
    (a, b) => SEVERITY_RANK[a.severity] - SEVERITY_RANK[b.severity] || b.objects.length - a.objects.length,
  );
  return (
    <section class="side-panel" aria-labelledby="outages-title" data-testid="outages-panel">
      <h2 id="outages-title">{t.outagesTitle}</h2>
      {rows.length === 0 && <p class="muted">{t.outagesNone}</p>}
      <ul class="outage-list">
        {rows.map((o) => (
          <li key={o.id}>
            <span class="sev-symbol" style={{ color: css(SEVERITY_COLORS[o.severity]) }} aria-hidden="true">
              {SEVERITY_SYMBOLS[o.severity]}
            </span>
            <strong>{outageKindLabel(o.kind, lang)}</strong>
            <span>{districtLabel(o.district, labels)}</span>
            <span class="muted">
              {t[`severity_${o.severity}`]} · {fill(t.outageObjects, { n: o.objects.filter((x) => x.active).length })} ·{' '}
              {fill(t.outageSince, { t: timeOfDay(o.startedAt, lang) })}
            </span>
          </li>
        ))}
      </ul>
    </section>
  );
}
