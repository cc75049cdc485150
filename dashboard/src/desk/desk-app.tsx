import type { Alarm, AlarmStreamEvent, CommandStreamEvent, LocateResult } from '@city/twin/contract';
import { useCallback, useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { fill, useLang, useStrings } from '../shared/i18n.ts';
import { LangSwitch } from '../shared/lang-switch.tsx';
import { StreamBadge } from '../shared/stream-badge.tsx';
import { CallerPosition } from './caller-position.tsx';
import { fromEvent, mergeCommand, type TrackedCommand } from './command-states.ts';
import { DeskContext, deskApi, errorText, useDesk } from './desk-api.ts';
import { DeskMap } from './desk-map.tsx';
import { ItemDetail } from './item-detail.tsx';
import { LoginForm } from './login-form.tsx';
import { ObjectCard } from './object-card.tsx';
import { canAct, forgetSession, loadSession, type Session, signOut } from './session.ts';
import { StreetlightCommands } from './streetlight-commands.tsx';
import { alarmTypeLabel, DESK_STRINGS, type DeskKey, ROLE_KEYS, SEVERITY_KEYS } from './strings.ts';
import { useWorkList } from './use-work-list.ts';
import { acknowledge, canAcknowledge } from './work-actions.ts';
import { useReferenceData, WorkFilters } from './work-filters.tsx';
import { itemObject, itemPlace, matchesFilter, NO_FILTER, type WorkFilter, type WorkItem } from './work-items.ts';
import { WorkListView } from './work-list.tsx';

/** The longest a browser timer waits (about 24.8 days); a later expiry is checked again then. */
const MAX_TIMER_MS = 2 ** 31 - 1;

/** Sign-in, or the desk: the session lives in this tab and ends at its expiry or at the first 401. */
export function DeskRoot() {
  const t = useStrings(DESK_STRINGS);
  const [session, setSession] = useState<Session | null>(() => loadSession());
  const [notice, setNotice] = useState<DeskKey | null>(null);

  const expire = useCallback(() => {
    forgetSession();
    setSession(null);
    setNotice('sessionExpired');
  }, []);

  useEffect(() => {
    if (!session) return;
    const timer = setTimeout(expire, Math.min(MAX_TIMER_MS, Math.max(0, Date.parse(session.expiresAt) - Date.now())));
    return () => clearTimeout(timer);
  }, [session, expire]);

  const context = useMemo(() => (session ? { session, call: deskApi(session, expire) } : null), [session, expire]);

  if (!context) {
    return (
      <LoginForm
        t={t}
        notice={notice ? t[notice] : null}
        onSignedIn={(s) => {
          setNotice(null);
          setSession(s);
        }}
      />
    );
  }
  return (
    <DeskContext.Provider value={context}>
      <Desk
        onSignedOut={() => {
          setNotice(null);
          setSession(null);
        }}
      />
    </DeskContext.Provider>
  );
}

function Desk({ onSignedOut }: { onSignedOut(): void }) {
  const { session, call } = useDesk();
  const t = useStrings(DESK_STRINGS);
  const lang = useLang();
  const [filter, setFilter] = useState<WorkFilter>(NO_FILTER);
  const [selectedKey, setSelectedKey] = useState<string | null>(null);
  const [cardNumber, setCardNumber] = useState<string | null>(null);
  const [position, setPosition] = useState<LocateResult | null>(null);
  const [focus, setFocus] = useState<{ lat: number; lon: number } | null>(null);
  const [announcement, setAnnouncement] = useState('');
  const [animate, setAnimate] = useState(() => !matchMedia('(prefers-reduced-motion: reduce)').matches);
  const [error, setError] = useState<string | null>(null);
  const reference = useReferenceData(call);
  const filterRef = useRef(filter);
  filterRef.current = filter;

  const announce = useCallback((text: string) => {
    // The same text twice is still read out: clear, then set.
    setAnnouncement('');
    requestAnimationFrame(() => setAnnouncement(text));
  }, []);

  const onRaised = useCallback(
    (event: AlarmStreamEvent) => {
      if (!matchesFilter({ kind: 'alarm', alarm: event.alarm }, { ...filterRef.current, search: '' })) return;
      const a = event.alarm;
      announce(
        fill(t.newAlarm, {
          severity: t[SEVERITY_KEYS[a.severity]],
          type: alarmTypeLabel(a.type, lang),
          object: a.objectNumber ?? a.subject,
        }),
      );
    },
    [announce, t, lang],
  );

  const [commands, setCommands] = useState<ReadonlyMap<number, TrackedCommand>>(new Map());
  const onCommand = useCallback(
    (event: CommandStreamEvent) => setCommands((held) => mergeCommand(held, fromEvent(event))),
    [],
  );
  const takeCommands = useCallback(
    (answered: TrackedCommand[]) => setCommands((held) => answered.reduce(mergeCommand, new Map(held))),
    [],
  );
  const work = useWorkList(call, session.token, filter, onRaised, onCommand);
  const selected = selectedKey ? (work.byKey.get(selectedKey) ?? null) : null;
  const activeAlarms = useMemo(
    () =>
      [...work.byKey.values()]
        .filter((i): i is { kind: 'alarm'; alarm: Alarm } => i.kind === 'alarm' && i.alarm.status === 'active')
        .map((i) => i.alarm),
    [work.byKey],
  );
  const seenTypes = useMemo(() => [...new Set(activeAlarms.map((a) => a.type))], [activeAlarms]);
  const seenDistricts = useMemo(
    () =>
      [
        ...new Set([...work.byKey.values()].map((i) => (i.kind === 'alarm' ? i.alarm.district : i.incident.district))),
      ].filter((d): d is string => d !== null),
    [work.byKey],
  );

  const select = (key: string) => {
    setSelectedKey(key);
    const item = work.byKey.get(key);
    const place = item && itemPlace(item);
    if (place) setFocus({ ...place });
  };

  const ackSelected = async (item: WorkItem) => {
    try {
      work.update(await acknowledge(call, item));
      announce(fill(t.done, { what: t.ack }));
    } catch (err) {
      const message = fill(t.failed, { message: errorText(err) });
      setError(message);
      announce(message);
    }
  };

  // Shortcuts, announced in the header; never while typing in a field.
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.ctrlKey || e.metaKey || e.altKey) return;
      const target = e.target as HTMLElement | null;
      const typing = target?.closest('input, textarea, select, [contenteditable="true"]');
      if (e.key === 'Escape' && cardNumber) {
        setCardNumber(null);
        return;
      }
      if (typing) return;
      if (e.key === '/') {
        e.preventDefault();
        document.getElementById('work-search')?.focus();
      } else if (e.key === 'a' && selected && canAct(session) && canAcknowledge(selected)) {
        e.preventDefault();
        void ackSelected(selected);
      } else if (e.key === 'o' && selected && itemObject(selected)) {
        e.preventDefault();
        setCardNumber(itemObject(selected));
      } else if (e.key === 'l') {
        e.preventDefault();
        document.getElementById('caller-number-1')?.focus();
      }
    };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  });

  return (
    <div class="desk">
      <header class="desk-head">
        <h1>{t.title}</h1>
        <p class="who" data-testid="who">
          {fill(t.signedInAs, { name: session.name, role: t[ROLE_KEYS[session.role] ?? 'roleViewer'] })}
          {session.utility && ` · ${fill(t.utilityOf, { utility: session.utility })}`}
        </p>
        <StreamBadge
          class="stream"
          status={work.stream}
          words={{ live: t.streamLive, connecting: t.streamConnecting, offline: t.streamOffline }}
        />
        <details class="shortcuts">
          <summary>{t.shortcutsTitle}</summary>
          <p id="desk-shortcuts">{t.shortcuts}</p>
        </details>
        <LangSwitch />
        <button
          type="button"
          data-testid="sign-out"
          onClick={() => {
            signOut(session).catch(() => {
              // The token is forgotten here whatever the server said; it expires there on its own.
            });
            onSignedOut();
          }}
        >
          {t.signOut}
        </button>
      </header>
      <div class="visually-hidden" role="status" aria-live="polite" data-testid="announcer">
        {announcement}
      </div>
      {error && (
        <p class="error banner" role="alert">
          {error}{' '}
          <button type="button" onClick={() => setError(null)}>
            ✕
          </button>
        </p>
      )}
      <main class="desk-main">
        <section class="work" aria-labelledby="work-title">
          <h2 id="work-title">
            {t.workList} <span class="count">{fill(t.itemsShown, { n: work.items.length })}</span>
          </h2>
          <WorkFilters
            filter={filter}
            onChange={setFilter}
            t={t}
            lang={lang}
            reference={reference}
            seenTypes={seenTypes}
            seenDistricts={seenDistricts}
          />
          {work.error && (
            <p class="error" role="alert" data-testid="list-error">
              {fill(t.failed, { message: work.error })}
            </p>
          )}
          {reference.error && (
            <p class="error" role="alert">
              {fill(t.failed, { message: reference.error })}
            </p>
          )}
          <p class="visually-hidden" id="work-help">
            {t.shortcuts}
          </p>
          <WorkListView
            items={work.items}
            selectedKey={selectedKey}
            onSelect={select}
            t={t}
            lang={lang}
            categories={reference.categories}
            districts={reference.districtNames}
          />
          {work.loading && <p>{t.loading}</p>}
          {!work.loading && work.items.length === 0 && <p>{t.emptyList}</p>}
          {work.hasMore && (
            <button type="button" onClick={work.loadMore} disabled={work.loading}>
              {t.loadMore}
            </button>
          )}
        </section>
        <section class="middle">
          <DeskMap
            token={session.token}
            lang={lang}
            t={t}
            alarms={activeAlarms}
            animate={animate}
            onAnimate={setAnimate}
            position={position}
            focus={focus}
            onObjectClick={setCardNumber}
          />
          <div class="tools">
            <CallerPosition t={t} onPosition={setPosition} />
            {canAct(session) && <StreetlightCommands t={t} commands={commands} onCommands={takeCommands} />}
          </div>
        </section>
        <aside class="side">
          {cardNumber ? (
            <ObjectCard
              number={cardNumber}
              t={t}
              lang={lang}
              categories={reference.categories}
              onClose={() => setCardNumber(null)}
            />
          ) : selected ? (
            <ItemDetail
              item={selected}
              t={t}
              lang={lang}
              categories={reference.categories}
              canAct={canAct(session)}
              onUpdated={work.update}
              announce={announce}
              onOpenObject={setCardNumber}
              onShowOnMap={(item) => {
                const place = itemPlace(item);
                if (place) setFocus({ ...place });
              }}
            />
          ) : (
            <p class="hint">{t.noSelection}</p>
          )}
        </aside>
      </main>
    </div>
  );
}
