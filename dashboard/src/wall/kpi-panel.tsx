import type { Kpis } from '@city/twin/contract';
import { fill } from '../shared/i18n.ts';
import { css, EAQI_COLORS } from '../shared/palette.ts';
import { districtLabel, type WallLabels } from './labels.ts';
import { alarmTypeLabel, wallText } from './strings.ts';

/**
 * The wall's key figures, from the stream's `kpi` event (the server counts them over the whole
 * city every few seconds: the wall's own lists are capped and would undercount a storm).
 */
export function KpiPanel({
  kpis,
  labels,
  compact = false,
}: {
  kpis: Kpis | null;
  labels: WallLabels;
  compact?: boolean;
}) {
  const { t, lang } = labels;
  if (!kpis) {
    return (
      <section class="kpis" aria-label={t.kpiTitle} data-testid="kpis">
        <h2>{t.kpiTitle}</h2>
        <p class="muted">{t.kpiWaiting}</p>
      </section>
    );
  }
  const pct = kpis.devices.onlinePct;
  const air = kpis.worstAir;
  const top = compact ? 4 : 6;
  return (
    <section class="kpis" aria-label={t.kpiTitle} data-testid="kpis">
      <h2>{t.kpiTitle}</h2>
      <dl class="kpi-tiles">
        <div class="kpi" data-kpi="devices">
          <dt>{t.kpiDevices}</dt>
          <dd>
            <span class="kpi-value">{pct === null ? '—' : `${formatPct(pct)} %`}</span>
            <span class="kpi-sub">
              {fill(t.kpiDevicesOf, { online: kpis.devices.online, total: kpis.devices.total })}
            </span>
          </dd>
        </div>
        <div class="kpi" data-kpi="alarms">
          <dt>{t.kpiOpenAlarms}</dt>
          <dd>
            <span class="kpi-value">{kpis.openAlarms.total}</span>
          </dd>
        </div>
        <div class="kpi" data-kpi="bins">
          <dt>{t.kpiBins}</dt>
          <dd>
            <span class="kpi-value">{kpis.binsOver85}</span>
          </dd>
        </div>
        <div class="kpi" data-kpi="lamps">
          <dt>{t.kpiLamps}</dt>
          <dd>
            <span class="kpi-value">{kpis.lampsFailed}</span>
          </dd>
        </div>
        <div class="kpi" data-kpi="air">
          <dt>{t.kpiWorstAir}</dt>
          <dd>
            {air ? (
              <>
                <span class="kpi-value air-band">
                  <span
                    class="band-swatch"
                    style={{ background: css(EAQI_COLORS[air.band - 1] ?? [128, 128, 128]) }}
                    aria-hidden="true"
                  />
                  {districtLabel(air.district, labels)}
                </span>
                <span class="kpi-sub">{wallText(t, 'eaqi_', air.band) ?? String(air.band)}</span>
              </>
            ) : (
              <span class="kpi-sub">{t.kpiNoAir}</span>
            )}
          </dd>
        </div>
      </dl>
      <div class="kpi-breakdowns">
        <Breakdown
          title={`${t.kpiOpenAlarms} ${t.kpiByType}`}
          counts={kpis.openAlarms.byType}
          name={(type) => alarmTypeLabel(type, lang)}
          top={top}
          testId="kpi-by-type"
        />
        <Breakdown
          title={`${t.kpiOpenAlarms} ${t.kpiByDistrict}`}
          counts={kpis.openAlarms.byDistrict}
          name={(code) => districtLabel(code === 'null' ? null : code, labels)}
          top={top}
          testId="kpi-by-district"
        />
      </div>
      <p class="kpi-at muted">{fill(t.kpiAt, { t: timeOfDay(kpis.at, lang) })}</p>
    </section>
  );
}

/** The largest counts as rows with a bar; the bar is decoration, the figure is the value. */
function Breakdown({
  title,
  counts,
  name,
  top,
  testId,
}: {
  title: string;
  counts: Record<string, number>;
  name: (key: string) => string;
  top: number;
  testId: string;
}) {
  const rows = Object.entries(counts ?? {})
    .filter(([, n]) => typeof n === 'number' && n > 0)
    .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
    .slice(0, top);
  const max = rows[0]?.[1] ?? 1;
  return (
    <section class="breakdown" data-testid={testId}>
      <h3>{title}</h3>
      {rows.length === 0 && <p class="muted">—</p>}
      <ul>
        {rows.map(([key, n]) => (
          <li key={key}>
            <span class="bd-name">{name(key)}</span>
            <span class="bd-bar" style={{ width: `${Math.max(4, (n / max) * 100)}%` }} aria-hidden="true" />
            <span class="bd-n">{n}</span>
          </li>
        ))}
      </ul>
    </section>
  );
}

function formatPct(pct: number): string {
  return pct >= 99.95 || pct === 0 ? pct.toFixed(0) : pct.toFixed(1);
}

export function timeOfDay(at: string, lang: string): string {
  const d = new Date(at);
  if (Number.isNaN(d.getTime())) return '—';
  return d.toLocaleTimeString(lang === 'en' ? 'en-GB' : 'uk-UA', { hour: '2-digit', minute: '2-digit' });
}
