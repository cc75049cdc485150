import { useEffect, useState } from 'preact/hooks';
import { fill } from '../shared/i18n.ts';
import { css, SEVERITY_COLORS, SEVERITY_SYMBOLS } from '../shared/palette.ts';
import { ReadingsChart } from '../shared/readings-chart.tsx';
import { type FocusData, type FocusTarget, loadFocus } from './focus.ts';
import { timeOfDay } from './kpi-panel.tsx';
import { districtLabel, objectTypeLabel, statusLabel, type WallLabels } from './labels.ts';
import { alarmTypeLabel, metricLabel, wallText } from './strings.ts';
import type { ReportEntry } from './wall-store.ts';

/**
 * One situation alone: the object (type, address, district, live state), the alarm with its
 * history, a chart of the day's readings that matter, and the object's other active alarms.
 * Read-only: the wall and leadership look; the desk acts.
 */
export function FocusPanel({
  target,
  report,
  token,
  labels,
  onClose,
}: {
  target: FocusTarget;
  report: ReportEntry | null;
  token: string | null;
  labels: WallLabels;
  onClose: () => void;
}) {
  const { t, lang } = labels;
  const [data, setData] = useState<FocusData | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    const abort = new AbortController();
    setData(null);
    setError(null);
    loadFocus(target, token, abort.signal).then(setData, (err: Error) => {
      if (err.name !== 'AbortError') setError(err.message);
    });
    return () => abort.abort();
  }, [target.key, token]);
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => e.key === 'Escape' && onClose();
    addEventListener('keydown', onKey);
    return () => removeEventListener('keydown', onKey);
  }, [onClose]);

  const object = data?.object ?? null;
  const alarm = data?.alarm?.alarm ?? null;
  const live = object?.live ?? null;
  const chart = data?.chart ?? null;
  return (
    <aside class="focus" aria-labelledby="focus-title" data-testid="focus-panel">
      <header class="panel-head">
        <h2 id="focus-title">
          {t.focusTitle}: <span data-testid="focus-number">{target.objectNumber ?? target.subject}</span>
        </h2>
        <button type="button" class="close" onClick={onClose} aria-label={t.focusClose} data-testid="focus-close">
          ✕
        </button>
      </header>
      {!target.objectNumber && <p>{fill(t.focusNoObject, { subject: target.subject })}</p>}
      {object && (
        <p class="focus-object">
          <strong>{objectTypeLabel(object.type, labels)}</strong>
          {object.address ? ` · ${object.address}` : ''} · {districtLabel(object.district?.code ?? null, labels)}
        </p>
      )}
      {report && <p class="focus-report">{fill(t.focusReport, { status: statusLabel(report.status, labels) })}</p>}
      {alarm && (
        <p class="focus-alarm" data-testid="focus-alarm">
          <span style={{ color: css(SEVERITY_COLORS[alarm.severity]) }} aria-hidden="true">
            {SEVERITY_SYMBOLS[alarm.severity]}{' '}
          </span>
          <strong>{t[`severity_${alarm.severity}`]}</strong> · {alarmTypeLabel(alarm.type, lang)} ·{' '}
          {alarm.acknowledged ? t.acknowledged : t.unacknowledged}
        </p>
      )}
      {!data && !error && <p class="muted">{t.focusLoading}</p>}
      {error && <p role="alert">{fill(t.focusFailed, { m: error })}</p>}
      {data && object && (
        <section>
          <h3>{t.focusState}</h3>
          {live ? (
            <>
              <p data-testid="focus-health">
                {wallText(t, 'health_', live.health) ?? live.health} ·{' '}
                {fill(t.focusLastSeen, { t: timeOfDay(live.lastSeen, lang) })}
              </p>
              <dl class="focus-metrics">
                {Object.entries(live.metrics)
                  .slice(0, 12)
                  .map(([metric, value]) => (
                    <div key={metric}>
                      <dt>{metricLabel(metric, lang)}</dt>
                      <dd>{formatValue(value.value)}</dd>
                    </div>
                  ))}
              </dl>
            </>
          ) : (
            <p class="muted">{t.focusNoState}</p>
          )}
        </section>
      )}
      {data && chart && (
        <section>
          <h3>{fill(t.focusChart, { metric: metricLabel(chart.metric, lang) })}</h3>
          {chart.times.length > 0 ? (
            <>
              <ReadingsChart
                series={{ metric: metricLabel(chart.metric, lang), times: chart.times, values: chart.values }}
                label={metricLabel(chart.metric, lang)}
                look="wall"
                range={[chart.from, chart.to]}
                testId="focus-chart"
              />
              <p class="muted">
                {fill(t.focusChartSummary, {
                  n: chart.values.length,
                  min: formatValue(Math.min(...chart.values)),
                  max: formatValue(Math.max(...chart.values)),
                  last: formatValue(chart.values[chart.values.length - 1] as number),
                })}
              </p>
            </>
          ) : (
            <p class="muted">{t.focusChartNone}</p>
          )}
        </section>
      )}
      {data?.alarm && (
        <section>
          <h3>{t.focusHistory}</h3>
          <ol class="history" data-testid="focus-history">
            {data.alarm.history.map((e) => (
              <li key={e.id}>
                <time>{timeOfDay(e.at, lang)}</time> {wallText(t, 'event_', e.kind) ?? e.kind}
                {e.actor ? ` · ${e.actor}` : ''}
                {e.kind === 'assigned' && e.detail?.assignee ? ` → ${e.detail.assignee}` : ''}
                {e.comment ? `: ${e.comment}` : ''}
              </li>
            ))}
          </ol>
        </section>
      )}
      {data && object?.alarms && (
        <section>
          <h3>{t.focusObjectAlarms}</h3>
          {object.alarms.length === 0 && <p class="muted">{t.focusNoAlarms}</p>}
          <ul class="history">
            {object.alarms.map((a) => (
              <li key={a.id}>
                <span style={{ color: css(SEVERITY_COLORS[a.severity]) }} aria-hidden="true">
                  {SEVERITY_SYMBOLS[a.severity]}{' '}
                </span>
                {t[`severity_${a.severity}`]} · {alarmTypeLabel(a.type, lang)} · {timeOfDay(a.raisedAt, lang)}
              </li>
            ))}
          </ul>
        </section>
      )}
    </aside>
  );
}

function formatValue(value: number): string {
  if (!Number.isFinite(value)) return '—';
  return Math.abs(value) >= 100 ? value.toFixed(0) : String(Math.round(value * 10) / 10);
}
