import {
  type AlarmDetail,
  INCIDENT_TRANSITIONS,
  type IncidentDetail,
  type IncidentStatus,
  type ReportCategory,
} from '@city/twin/contract';
import { useEffect, useState } from 'preact/hooks';
import { fill, type Lang } from '../shared/i18n.ts';
import { incidentStatusLabel } from '../shared/incident-status-labels.ts';
import { errorText, useDesk } from './desk-api.ts';
import { alarmTypeLabel, type DeskStrings, SEVERITY_KEYS } from './strings.ts';
import { acknowledge, assignCrew, canAcknowledge, clearAlarm, comment, moveIncident } from './work-actions.ts';
import { itemObject, type WorkItem } from './work-items.ts';

export interface ItemDetailProps {
  item: WorkItem;
  t: DeskStrings;
  lang: Lang;
  categories: ReadonlyMap<string, ReportCategory>;
  canAct: boolean;
  onUpdated(item: WorkItem): void;
  /** Says what happened in the live region (screen readers hear it). */
  announce(text: string): void;
  onOpenObject(number: string): void;
  onShowOnMap(item: WorkItem): void;
}

type HistoryLine = { at: string; text: string };

/** One alarm or incident: what it is, its history, and the actions the signed-in role may take. */
export function ItemDetail({
  item,
  t,
  lang,
  categories,
  canAct,
  onUpdated,
  announce,
  onOpenObject,
  onShowOnMap,
}: ItemDetailProps) {
  const { call } = useDesk();
  const [history, setHistory] = useState<HistoryLine[]>([]);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [crew, setCrew] = useState('');
  const [note, setNote] = useState('');
  const [notePublic, setNotePublic] = useState(false);
  const [historyVersion, setHistoryVersion] = useState(0);
  const id = item.kind === 'alarm' ? item.alarm.id : item.incident.id;
  const updatedAt = item.kind === 'alarm' ? item.alarm.updatedAt : item.incident.updatedAt;

  useEffect(() => {
    let live = true;
    const path = item.kind === 'alarm' ? `/api/v1/alarms/${id}` : `/api/v1/incidents/${id}`;
    call<AlarmDetail | IncidentDetail>(path).then(
      (detail) => live && setHistory(historyLines(detail, item.kind)),
      (err) => live && setError(errorText(err)),
    );
    return () => {
      live = false;
    };
  }, [item.kind, id, updatedAt, historyVersion]);

  useEffect(() => {
    setError(null);
    setCrew('');
    setNote('');
  }, [item.kind, id]);

  const run = async (what: string, action: () => Promise<WorkItem | null>) => {
    setBusy(true);
    setError(null);
    try {
      const updated = await action();
      if (updated) onUpdated(updated);
      setHistoryVersion((n) => n + 1);
      announce(fill(t.done, { what }));
    } catch (err) {
      const message = fill(t.failed, { message: errorText(err) });
      setError(message);
      announce(message);
    } finally {
      setBusy(false);
    }
  };

  const object = itemObject(item);
  const category = item.kind === 'incident' ? categories.get(item.incident.category) : undefined;
  const moves: IncidentStatus[] =
    item.kind === 'incident'
      ? INCIDENT_TRANSITIONS[item.incident.status].filter(
          (s) => s === 'in_progress' || s === 'resolved' || s === 'rejected',
        )
      : [];
  const moveLabel = (s: IncidentStatus) =>
    s === 'in_progress' ? t.startWork : s === 'resolved' ? t.resolve : t.reject;

  return (
    <section class="item-detail" aria-labelledby="item-detail-title" data-testid="item-detail">
      <h2 id="item-detail-title">
        {item.kind === 'alarm'
          ? `${t.alarm}: ${alarmTypeLabel(item.alarm.type, lang)} (${t[SEVERITY_KEYS[item.alarm.severity]]})`
          : `${fill(t.incidentNo, { id: item.incident.id })}: ${category?.[lang] ?? item.incident.category}`}
      </h2>
      <dl class="facts">
        {item.kind === 'alarm' ? (
          <>
            <dt>{t.filterStatus}</dt>
            <dd data-testid="detail-state">
              {item.alarm.status === 'cleared'
                ? t.cleared
                : item.alarm.acknowledged
                  ? t.acknowledged
                  : t.notAcknowledged}
              {item.alarm.assignee && ` · ${fill(t.assignedTo, { name: item.alarm.assignee })}`}
            </dd>
            <dt>{t.raisedAt}</dt>
            <dd>{formatTime(item.alarm.raisedAt, lang)}</dd>
            <dt>{t.value}</dt>
            <dd>
              {item.alarm.message}
              {item.alarm.value !== null && ` (${item.alarm.value})`}
            </dd>
            <dt>{t.count}</dt>
            <dd>{item.alarm.count}</dd>
          </>
        ) : (
          <>
            <dt>{t.filterStatus}</dt>
            <dd data-testid="detail-state">
              {incidentStatusLabel(item.incident.status, lang)}
              {item.incident.assignee && ` · ${fill(t.assignedTo, { name: item.incident.assignee.name })}`}
            </dd>
            <dt>{t.openedAt}</dt>
            <dd>
              {formatTime(item.incident.openedAt, lang)} · {fill(t.reports, { n: item.incident.reportCount })}
            </dd>
            <dt>{fill(t.dueAt, { hours: category?.slaHours ?? '?' })}</dt>
            <dd>
              {formatTime(item.incident.slaDueAt, lang)}
              {item.incident.slaBreached && <strong> · ⚠ {t.slaOverdueShort}</strong>}
            </dd>
            {item.incident.address && (
              <>
                <dt>{t.address}</dt>
                <dd>{item.incident.address}</dd>
              </>
            )}
          </>
        )}
      </dl>
      <p class="detail-links">
        {object && (
          <button type="button" onClick={() => onOpenObject(object)} aria-keyshortcuts="o">
            {fill(t.openObject, { number: object })}
          </button>
        )}
        <button type="button" onClick={() => onShowOnMap(item)}>
          {t.showOnMap}
        </button>
      </p>

      {canAct && (
        <fieldset class="actions" disabled={busy}>
          <legend>{t.actions}</legend>
          {canAcknowledge(item) && (
            <button
              type="button"
              data-testid="ack"
              aria-keyshortcuts="a"
              onClick={() => run(t.ack, () => acknowledge(call, item))}
            >
              {t.ack}
            </button>
          )}
          {(item.kind === 'alarm'
            ? item.alarm.status === 'active'
            : INCIDENT_TRANSITIONS[item.incident.status].includes('assigned')) && (
            <form
              class="inline-form"
              onSubmit={(e) => {
                e.preventDefault();
                if (crew.trim()) void run(t.assign, () => assignCrew(call, item, crew.trim()));
              }}
            >
              <label>
                {t.assignee}
                <input value={crew} maxLength={64} required onInput={(e) => setCrew(e.currentTarget.value)} />
              </label>
              <button type="submit">{t.assign}</button>
            </form>
          )}
          {moves.map((to) => (
            <button
              key={to}
              type="button"
              onClick={() =>
                run(moveLabel(to), () => moveIncident(call, item.kind === 'incident' ? item.incident.id : 0, to))
              }
            >
              {moveLabel(to)}
            </button>
          ))}
          {item.kind === 'alarm' && item.alarm.status === 'active' && (
            <button type="button" onClick={() => run(t.clear, () => clearAlarm(call, item.alarm))}>
              {t.clear}
            </button>
          )}
          <form
            class="comment-form"
            onSubmit={(e) => {
              e.preventDefault();
              const text = note.trim();
              if (text)
                void run(t.addComment, async () => {
                  const updated = await comment(call, item, text, notePublic);
                  setNote('');
                  return updated;
                });
            }}
          >
            <label>
              {t.comment}
              <textarea value={note} maxLength={2000} rows={2} onInput={(e) => setNote(e.currentTarget.value)} />
            </label>
            {item.kind === 'incident' && (
              <label class="check">
                <input type="checkbox" checked={notePublic} onChange={(e) => setNotePublic(e.currentTarget.checked)} />
                {t.commentPublic}
              </label>
            )}
            <button type="submit">{t.addComment}</button>
          </form>
        </fieldset>
      )}
      {error && (
        <p class="error" role="alert" data-testid="action-error">
          {error}
        </p>
      )}
      <h3>{t.history}</h3>
      <ol class="history">
        {history.map((h) => (
          <li key={`${h.at}${h.text}`}>
            <time dateTime={h.at}>{formatTime(h.at, lang)}</time> {h.text}
          </li>
        ))}
      </ol>
    </section>
  );
}

function historyLines(detail: AlarmDetail | IncidentDetail, kind: WorkItem['kind']): HistoryLine[] {
  if (kind === 'alarm') {
    return (detail as AlarmDetail).history.map((e) => ({
      at: e.at,
      text: [e.kind, e.actor, e.detail?.assignee, e.comment].filter(Boolean).join(' · '),
    }));
  }
  return (detail as IncidentDetail).events.map((e) => ({
    at: e.at,
    text: [e.kind === 'status' ? `${e.fromStatus ?? ''} → ${e.status ?? ''}` : e.kind, e.actor, e.comment]
      .filter(Boolean)
      .join(' · '),
  }));
}

export function formatTime(iso: string, lang: Lang): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return date.toLocaleString(lang === 'uk' ? 'uk-UA' : 'en-GB', {
    day: '2-digit',
    month: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
  });
}
