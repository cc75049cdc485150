import type { DistrictAggregates, ReadingBatch, UiConfig, WallView } from '@city/twin/contract';
import { WALL_VIEWS } from '@city/twin/contract';
import { useCallback, useEffect, useMemo, useRef, useState } from 'preact/hooks';
import type { ObjectHit } from '../map/city-map.ts';
import { type DistrictNames, loadDistrictNames } from '../map/district-names.ts';
import { ApiError, api } from '../shared/api.ts';
import { fill, useLang, useStrings } from '../shared/i18n.ts';
import { LangSwitch } from '../shared/lang-switch.tsx';
import { LiveStreamClient } from '../shared/stream.ts';
import { StreamBadge } from '../shared/stream-badge.tsx';
import { useNow } from '../shared/use-now.ts';
import { AirPanel } from './air-panel.tsx';
import { AlarmFeed } from './alarm-feed.tsx';
import { type FeedGrouping, type FeedItem, feedItems } from './feed.ts';
import type { FocusTarget } from './focus.ts';
import { FocusPanel } from './focus-panel.tsx';
import { KpiPanel } from './kpi-panel.tsx';
import type { WallLabels } from './labels.ts';
import { OutagesPanel } from './outages-panel.tsx';
import { nextView, PAUSE_MS, rotationPlan } from './rotation.ts';
import { WALL_STRINGS } from './strings.ts';
import { loadCategories, loadLists } from './wall-data.ts';
import { WallMap } from './wall-map.tsx';
import { type WallState, WallStore } from './wall-store.ts';

/**
 * The wall: the city map, the live feed and the KPIs for the situation center's screen, and the
 * same picture for leadership's tablets and phones (narrow screens: KPIs first, the feed and the
 * map a tap away, the map's libraries and objects fetched only when its tab opens). Read-only.
 * Unattended: the stream reconnects by itself, lists are fetched again after a gap the stream
 * could not replay, and a kiosk rotates through the configured views.
 */

/** Lists are fetched again this often anyway: a safety net for a screen that runs for weeks. */
const LISTS_REFRESH_MS = 10 * 60_000;
/** A failed start is tried again after this long (the server restarting, the network away). */
const RETRY_MS = 5_000;
/** Air quality per district, for the air view and the map's zones. */
const AIR_REFRESH_MS = 60_000;
/** Ages in the feed ("5 хв") move on this often. */
const CLOCK_MS = 10_000;
const NARROW = '(max-width: 800px)';

type Tab = 'kpis' | 'feed' | 'map';
const TABS: readonly Tab[] = ['kpis', 'feed', 'map'];

export interface WallAppProps {
  config: UiConfig;
  token: string;
  onKeyRefused: () => void;
}

export function WallApp({ config, token, onKeyRefused }: WallAppProps) {
  const t = useStrings(WALL_STRINGS);
  const lang = useLang();
  const store = useMemo(() => {
    const made = new WallStore();
    // For tests and the curious (read-only data the screen shows anyway): the wall's store.
    (window as unknown as { wallStore?: WallStore }).wallStore = made;
    return made;
  }, []);
  const state = useStoreState(store);
  const [districts, setDistricts] = useState<DistrictNames>(new Map());
  const [categories, setCategories] = useState<ReadonlyMap<string, { uk: string; en: string }>>(new Map());
  const [air, setAir] = useState<DistrictAggregates | null>(null);
  const [grouping, setGrouping] = useState<FeedGrouping>('none');
  const [focus, setFocus] = useState<FocusTarget | null>(null);
  const narrow = useMediaQuery(NARROW);
  const [tab, setTab] = useState<Tab>('kpis');
  const [mapWanted, setMapWanted] = useState(false);
  const now = useNow(CLOCK_MS);
  const readingListeners = useRef(new Set<(batch: ReadingBatch) => void>());
  const labels: WallLabels = { lang, t, districts, categories };

  // ---- data: the lists, then the stream keeps them current
  useEffect(() => {
    let stopped = false;
    let retry: ReturnType<typeof setTimeout> | undefined;
    const fetchLists = () =>
      loadLists(store, token).catch((err: unknown) => {
        if (stopped) return;
        if (err instanceof ApiError && err.status === 401) return onKeyRefused();
        retry = setTimeout(fetchLists, RETRY_MS);
      });
    fetchLists();
    const stream = new LiveStreamClient(
      {
        alarm: (e) => store.applyAlarm(e),
        incident: (e) => store.applyIncident(e),
        report: (e) => store.applyReport(e),
        kpi: (k) => store.setKpis(k),
        reading: (batch) => {
          for (const listener of readingListeners.current) listener(batch);
        },
        // Missed more than the server's log keeps: the lists are the truth again.
        gap: () => void fetchLists(),
        status: (s) => store.setStatus(s),
      },
      { token },
    );
    const refresh = setInterval(fetchLists, LISTS_REFRESH_MS);
    return () => {
      stopped = true;
      clearTimeout(retry);
      clearInterval(refresh);
      stream.close();
    };
  }, [store, token, onKeyRefused]);

  useEffect(() => {
    let stopped = false;
    const names = (): void => {
      loadDistrictNames().then(
        (d) => !stopped && setDistricts(d),
        () => !stopped && setTimeout(names, RETRY_MS * 6),
      );
    };
    const cats = (): void => {
      loadCategories().then(
        (c) => !stopped && setCategories(c),
        () => !stopped && setTimeout(cats, RETRY_MS * 6),
      );
    };
    names();
    cats();
    const fetchAir = () =>
      api<DistrictAggregates>('/api/v1/districts/aggregates', { token })
        .then((a) => !stopped && setAir(a))
        .catch(() => undefined);
    fetchAir();
    const timer = setInterval(fetchAir, AIR_REFRESH_MS);
    return () => {
      stopped = true;
      clearInterval(timer);
    };
  }, [token]);

  // ---- views and the kiosk's rotation
  const plan = useMemo(() => rotationPlan(config.wallRotation), [config.wallRotation]);
  const [view, setView] = useState<WallView>(plan?.views[0] ?? 'city');
  // Read by the rotation's timer itself (a ref, not state): a touch pauses it at once, with no
  // render in between in which the timer could still move the view on.
  const pausedUntil = useRef(0);
  const focusOpen = useRef(false);
  focusOpen.current = focus !== null;
  const [, setTouchedAt] = useState(0);
  const touch = useCallback(() => {
    pausedUntil.current = Date.now() + PAUSE_MS;
    setTouchedAt(Date.now());
  }, []);
  const paused = focus !== null || Math.max(now, Date.now()) < pausedUntil.current;
  useEffect(() => {
    if (!plan || narrow) return;
    const timer = setInterval(() => {
      if (focusOpen.current || Date.now() < pausedUntil.current) return;
      setView((v) => nextView(plan, v));
    }, plan.ms);
    return () => clearInterval(timer);
  }, [plan, narrow]);
  const pickView = (v: WallView) => {
    touch();
    setView(v);
  };

  // ---- the situation in focus
  const pickItem = useCallback((item: FeedItem) => {
    touch();
    setFocus({
      key: `${item.key}:${Date.now()}`,
      objectNumber: item.objectNumber,
      alarmId: item.alarmId,
      incidentId: item.incidentId,
      category: item.category,
      devEui: item.devEui,
      subject: item.subject,
      lat: item.lat,
      lon: item.lon,
    });
  }, []);
  const pickObject = useCallback((hit: ObjectHit) => {
    touch();
    setFocus({
      key: `o${hit.number}:${Date.now()}`,
      objectNumber: hit.number,
      alarmId: null,
      incidentId: null,
      category: null,
      devEui: null,
      subject: hit.number,
      lat: hit.lat,
      lon: hit.lon,
    });
  }, []);
  const closeFocus = useCallback(() => setFocus(null), []);
  const subscribeReadings = useCallback((listener: (batch: ReadingBatch) => void) => {
    readingListeners.current.add(listener);
    return () => readingListeners.current.delete(listener);
  }, []);

  const items = useMemo(() => feedItems(state), [state.alarms, state.reports]);
  const outages = useMemo(() => [...state.outages.values()], [state.outages]);
  const focusReport = focus?.incidentId != null ? (state.reports.get(focus.incidentId) ?? null) : null;
  const selectedKey = focus?.key.split(':')[0] ?? null;

  // The map is made when first shown, and kept: a phone that opened its tab keeps it warm.
  const showMap = !narrow || tab === 'map';
  useEffect(() => {
    if (showMap) setMapWanted(true);
  }, [showMap]);
  const flyTo =
    focus && focus.lat !== null && focus.lon !== null ? { key: focus.key, lat: focus.lat, lon: focus.lon } : null;

  const feed = (
    <AlarmFeed
      items={items}
      grouping={grouping}
      onGrouping={(g) => {
        setGrouping(g);
        touch();
      }}
      onPick={pickItem}
      selected={selectedKey}
      now={now}
      labels={labels}
    />
  );
  const kpis = <KpiPanel kpis={state.kpis} labels={labels} compact={narrow} />;
  const side =
    view === 'air' ? (
      <AirPanel air={air} labels={labels} />
    ) : view === 'outages' ? (
      <OutagesPanel outages={outages} labels={labels} />
    ) : (
      feed
    );

  return (
    <div class={`wall view-${view}${narrow ? ' narrow' : ''}`} data-testid="wall" data-view={view}>
      <header class="wall-head">
        <h1>{t.title}</h1>
        {!narrow && (
          <nav class="segmented views" aria-label={t.views}>
            {WALL_VIEWS.map((v) => (
              <button key={v} type="button" data-view={v} aria-pressed={v === view} onClick={() => pickView(v)}>
                {t[`view_${v}`]}
              </button>
            ))}
          </nav>
        )}
        {plan && !narrow && (
          <span class="rotation muted">{paused ? t.rotationPaused : fill(t.rotating, { s: plan.ms / 1000 })}</span>
        )}
        <StreamBadge
          class="stream-badge"
          status={state.status}
          words={{ live: t.statusLive, connecting: t.statusConnecting, offline: t.statusOffline }}
        />
        <LangSwitch />
      </header>
      {state.status === 'offline' && (
        <p class="offline-banner" role="status" data-testid="offline-banner">
          {t.offlineBanner}
        </p>
      )}
      {narrow && (
        <nav class="segmented tabs" aria-label={t.tabs}>
          {TABS.map((x) => (
            <button key={x} type="button" data-tab={x} aria-pressed={x === tab} onClick={() => setTab(x)}>
              {t[`tab_${x}`]}
            </button>
          ))}
        </nav>
      )}
      <main class="wall-body">
        {(!narrow || tab === 'kpis') && <div class="wall-kpis">{kpis}</div>}
        {mapWanted && (
          <div class="wall-map-area" hidden={!showMap}>
            <WallMap
              basemap={config.basemap}
              token={token}
              lang={lang}
              view={view}
              store={store}
              air={air}
              focus={flyTo}
              onObjectClick={pickObject}
              subscribeReadings={subscribeReadings}
            />
          </div>
        )}
        {(!narrow || tab === 'feed') && <div class="wall-side">{narrow ? feed : side}</div>}
        {focus && (
          <div class="wall-focus">
            <FocusPanel target={focus} report={focusReport} token={token} labels={labels} onClose={closeFocus} />
          </div>
        )}
      </main>
    </div>
  );
}

/** The store's state; the component renders again on each change (at most once a frame). */
function useStoreState(store: WallStore): WallState {
  const [state, setState] = useState(store.state);
  useEffect(() => {
    let frame = 0;
    const unsubscribe = store.subscribe(() => {
      // A burst of events (a resume replays many) redraws once.
      if (frame) return;
      frame = requestAnimationFrame(() => {
        frame = 0;
        setState(store.state);
      });
    });
    setState(store.state);
    return () => {
      cancelAnimationFrame(frame);
      unsubscribe();
    };
  }, [store]);
  return state;
}

function useMediaQuery(query: string): boolean {
  const [matches, setMatches] = useState(() => matchMedia(query).matches);
  useEffect(() => {
    const list = matchMedia(query);
    const changed = () => setMatches(list.matches);
    list.addEventListener('change', changed);
    changed();
    return () => list.removeEventListener('change', changed);
  }, [query]);
  return matches;
}
