import type { PublicReport, ReportCategory } from '@city/twin/contract';
import { MAX_TRACKING_CODE } from '@city/twin/contract/input-limits';
import { useEffect, useRef, useState } from 'preact/hooks';
import { api } from '../shared/api.ts';
import { fill, type Lang, label } from '../shared/i18n.ts';
import { loadCategories } from './categories.ts';
import { CodeInput } from './code-input.tsx';
import { errorText } from './error-text.ts';
import { formatDateTime, formatTime } from './format.ts';
import { useSlow } from './pending.ts';
import { navigate } from './routes.ts';
import { type ResidentStrings, statusLabel } from './strings.ts';

/** A report's status by its tracking code: the code asked for, then status and history, refreshed on demand. */
export function StatusView({ t, lang, code }: { t: ResidentStrings; lang: Lang; code?: string | undefined }) {
  const [typed, setTyped] = useState(code ?? '');
  const [report, setReport] = useState<PublicReport | null>(null);
  const [loadedAt, setLoadedAt] = useState<Date | null>(null);
  const [loading, setLoading] = useState(false);
  const [failure, setFailure] = useState<{ err: unknown } | null>(null);
  const [categories, setCategories] = useState<ReportCategory[]>([]);
  const slow = useSlow(loading);
  const asked = useRef<AbortController | null>(null);

  const load = async (which: string) => {
    asked.current?.abort();
    const controller = new AbortController();
    asked.current = controller;
    setLoading(true);
    setFailure(null);
    try {
      const path = `/api/v1/reports/${encodeURIComponent(which.slice(0, MAX_TRACKING_CODE))}`;
      setReport(await api<PublicReport>(path, { signal: controller.signal }));
      setLoadedAt(new Date());
    } catch (err) {
      if ((err as Error).name === 'AbortError') return;
      setReport(null);
      setFailure({ err });
    } finally {
      if (asked.current === controller) setLoading(false);
    }
  };

  useEffect(() => {
    setTyped(code ?? '');
    setReport(null);
    if (code) void load(code);
    return () => asked.current?.abort();
  }, [code]);
  // Labels only: without them the category shows as its id.
  useEffect(() => void loadCategories().then(setCategories, () => undefined), []);

  const category = report && categories.find((c) => c.id === report.category);
  return (
    <>
      <form
        class="card"
        onSubmit={(event) => {
          event.preventDefault();
          const wanted = typed.trim();
          if (wanted === code) void load(wanted);
          else navigate({ kind: 'status', code: wanted });
        }}
      >
        <label for="tracking-code">{t.codeLabel}</label>
        <CodeInput
          id="tracking-code"
          name="code"
          value={typed}
          maxLength={MAX_TRACKING_CODE}
          describedBy="code-hint"
          onInput={setTyped}
          submit={t.show}
          busy={loading}
        />
        <p id="code-hint" class="hint">
          {t.codeHint}
        </p>
      </form>
      <div aria-live="polite">
        {loading && <p class="progress">{slow ? t.slow : t.loading}</p>}
        {failure && (
          <p class="error card" role="alert" data-testid="status-error">
            {errorText(failure.err, t, t.codeNotFound)}
          </p>
        )}
      </div>
      {report && (
        <section class="card report-status" aria-labelledby="report-status-title" aria-busy={loading}>
          <h2 id="report-status-title">
            {t.statusLabel}:{' '}
            <span class={`status status-${report.closed ? 'closed' : 'open'}`} data-testid="report-status">
              {statusLabel(report.status, lang)}
            </span>
            {report.closed && <span class="hint"> ({t.statusClosed})</span>}
          </h2>
          <dl>
            <dt>{t.trackingCode}</dt>
            <dd class="mono">{report.trackingCode}</dd>
            <dt>{t.reportObject}</dt>
            <dd>{report.objectNumber}</dd>
            <dt>{t.reportCategory}</dt>
            <dd>{label(category ?? undefined, lang, report.category)}</dd>
            <dt>{t.reportCreated}</dt>
            <dd>{formatDateTime(report.createdAt, lang)}</dd>
            {report.expectedBy && !report.closed && (
              <>
                <dt>{t.reportExpected}</dt>
                <dd>{formatDateTime(report.expectedBy, lang)}</dd>
              </>
            )}
          </dl>
          <h3>{t.historyTitle}</h3>
          {report.history.length === 0 ? (
            <p>{t.historyEmpty}</p>
          ) : (
            <ol class="history">
              {report.history.map((step, i) => (
                <li key={i}>
                  <time dateTime={step.at}>{formatDateTime(step.at, lang)}</time>
                  {step.status && <strong> {statusLabel(step.status, lang)}</strong>}
                  {step.comment && <p class="comment">{step.comment}</p>}
                </li>
              ))}
            </ol>
          )}
          <div class="row">
            <button type="button" disabled={loading} onClick={() => code && void load(code)}>
              {t.refresh}
            </button>
            {loadedAt && <span class="hint">{fill(t.refreshed, { time: formatTime(loadedAt, lang) })}</span>}
          </div>
        </section>
      )}
    </>
  );
}
