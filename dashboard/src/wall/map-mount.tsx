import type {
  DistrictAggregates,
  Incident,
  IncidentStatus,
  ReadingBatch,
  UiConfig,
  WallView,
} from '@city/twin/contract';
import { useEffect, useRef } from 'preact/hooks';
import { CityMap, type ObjectHit } from '../map/city-map.ts';
import { LayerToggles } from '../map/layer-toggles.tsx';
import { Legend } from '../map/legend.tsx';
import type { MapLayerId } from '../map/map-layers.ts';
import { fill, type Lang, useStrings } from '../shared/i18n.ts';
import { useRetried } from '../shared/use-retried.ts';
import { WALL_STRINGS } from './strings.ts';
import type { ReportEntry, WallState, WallStore } from './wall-store.ts';

/**
 * The city map on the wall: MapLibre, deck.gl and the objects' columns. Loaded as a chunk of its
 * own (wall-map.tsx imports it when the map is first shown), so a phone that opens the KPIs
 * first does not fetch the map libraries or the city's objects until its map tab is opened.
 */

export interface MapMountProps {
  basemap: UiConfig['basemap'];
  token: string | null;
  lang: Lang;
  view: WallView;
  /** The wall's store: the map follows its alarms, outages and reports directly (no page render in between). */
  store: WallStore;
  /** The districts' air quality (the app fetches it for its air panel too). */
  air: DistrictAggregates | null;
  /** Where to fly: changes of `key` fly again to the same place. */
  focus: { key: string; lon: number; lat: number } | null;
  onObjectClick: (hit: ObjectHit) => void;
  /** Subscribes the map to the stream's readings; answers the unsubscribe. */
  subscribeReadings: (listener: (batch: ReadingBatch) => void) => () => void;
}

/** The layers each view shows (toggles can change them until the view changes again). */
const VIEW_LAYERS: Record<WallView, Partial<Record<MapLayerId, boolean>>> = {
  city: { air: false, outages: true, objects: true, alarms: true, clusters: true },
  alarms: { air: false, outages: true, objects: true, alarms: true, clusters: true },
  air: { air: true, outages: false, objects: false, alarms: false, clusters: false },
  outages: { air: false, outages: true, objects: true, alarms: true, clusters: true },
};

const RETRY_MS = 10_000;

export function MapMount(props: MapMountProps) {
  const t = useStrings(WALL_STRINGS);
  const box = useRef<HTMLElement>(null);
  const latest = useRef(props);
  latest.current = props;
  // Made once (again only after a failure); later prop changes are applied by the effects below.
  const { value: map, failed } = useRetried(
    () =>
      CityMap.create(box.current as HTMLElement, {
        basemap: props.basemap,
        token: props.token,
        lang: props.lang,
        visible: VIEW_LAYERS[props.view],
      }),
    RETRY_MS,
    (made) => made.destroy(),
  );

  useEffect(() => {
    // For tests and the curious: the wall's map, as the map page exposes its own.
    if (map) (window as unknown as { wallMap?: CityMap }).wallMap = map;
  }, [map]);
  useEffect(() => map?.setLang(props.lang), [map, props.lang]);
  useEffect(() => {
    if (map && props.air) map.setAirQuality(props.air);
  }, [map, props.air]);
  useEffect(() => {
    if (!map) return;
    // Straight from the store's change to the map's layers: an alarm is drawn at the next frame,
    // not after the page's own render and effects (a few frames more under a software renderer).
    let shown: WallState | null = null;
    const follow = (state: WallState) => {
      if (state.alarms !== shown?.alarms) map.setAlarms([...state.alarms.values()]);
      if (state.outages !== shown?.outages || state.reports !== shown?.reports)
        map.setOutages([...state.outages.values()], [...state.reports.values()].map(incidentForMap));
      shown = state;
    };
    follow(props.store.state);
    return props.store.subscribe(follow);
  }, [map, props.store]);
  useEffect(() => {
    if (!map) return;
    for (const [id, on] of Object.entries(VIEW_LAYERS[props.view])) map.setLayerVisible(id as MapLayerId, on);
    if (props.view === 'air' || props.view === 'city') map.fitCity();
  }, [map, props.view]);
  useEffect(() => {
    if (map && props.focus) map.flyTo(props.focus.lon, props.focus.lat);
  }, [map, props.focus?.key]);
  useEffect(() => map?.onObjectClick((hit) => latest.current.onObjectClick(hit)), [map]);
  useEffect(() => (map ? props.subscribeReadings((batch) => map.applyReadings(batch)) : undefined), [map]);

  return (
    <div class="wall-map">
      <section
        class="city-map"
        ref={box}
        aria-label={t.mapTitle}
        data-testid="wall-map"
        data-ready={map ? 'true' : 'false'}
      />
      {!map && !failed && <p class="wall-map-note">{t.mapLoading}</p>}
      {failed && (
        <p class="wall-map-note" role="alert">
          {fill(t.mapFailed, { m: failed.message })}
        </p>
      )}
      <div class="wall-map-chrome">
        <LayerToggles map={map} />
        <details class="wall-legend">
          <summary>{t.legend}</summary>
          <Legend air={props.view === 'air'} />
        </details>
      </div>
    </div>
  );
}

/**
 * A report as the map's outage layer takes an incident: it draws open incidents by status and
 * position only; the rest of the incident is not in a `report` event and is left neutral.
 */
function incidentForMap(r: ReportEntry): Incident {
  return {
    id: r.incidentId,
    objectNumber: r.objectNumber,
    objectType: r.objectType ?? '',
    category: r.category,
    status: r.status as IncidentStatus,
    utility: null,
    assignee: null,
    duplicateOf: null,
    lat: r.lat,
    lon: r.lon,
    district: r.district,
    address: null,
    reportCount: 1,
    openedAt: r.at,
    lastReportAt: r.at,
    updatedAt: r.at,
    closedAt: null,
    slaDueAt: r.at,
    slaBreached: false,
  };
}
