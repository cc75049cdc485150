import type { Alarm, LocateResult, UiConfig } from '@city/twin/contract';
import { useEffect, useRef } from 'preact/hooks';
import { api } from '../shared/api.ts';
import { fill, type Lang } from '../shared/i18n.ts';
import { useRetried } from '../shared/use-retried.ts';
import { errorText } from './desk-api.ts';
import type { DeskStrings } from './strings.ts';

export interface DeskMapProps {
  token: string;
  lang: Lang;
  t: DeskStrings;
  /** The desk's active alarms: they pulse on the map. */
  alarms: readonly Alarm[];
  /** The caller's estimated position with its accuracy circle. */
  position: LocateResult | null;
  /**
   * Unacknowledged alarms pulse on the map. Moving content that lasts must be able to stop
   * (WCAG 2.2.2), and it stops by default for those who ask the system for reduced motion.
   */
  animate: boolean;
  /** Where to fly (a picked item), changed by a new object each time. */
  focus: { lat: number; lon: number } | null;
  onObjectClick(number: string): void;
  onAnimate(animate: boolean): void;
}

/** A map that could not start (the server away) is tried again this often. */
const RETRY_MS = 10_000;

/**
 * The city map (the map module's CityMap, loaded only when the desk shows it) with the desk's
 * alarms, the caller's position and the item in hand. The map is a help for the eye: everything
 * it shows, the list and panels say in words too.
 */
export function DeskMap({ token, lang, t, alarms, animate, position, focus, onObjectClick, onAnimate }: DeskMapProps) {
  const box = useRef<HTMLDivElement>(null);
  const click = useRef(onObjectClick);
  click.current = onObjectClick;
  // Made once per sign-in (the desk is drawn anew then); the language is passed on below.
  const { value: map, failed } = useRetried(
    async () => {
      const [config, { CityMap }] = await Promise.all([
        api<UiConfig>('/api/v1/ui-config'),
        import('../map/city-map.ts'),
      ]);
      return CityMap.create(box.current as HTMLDivElement, { basemap: config.basemap, token, lang });
    },
    RETRY_MS,
    (made) => made.destroy(),
  );

  useEffect(() => map?.onObjectClick((hit) => click.current(hit.number)), [map]);
  useEffect(() => map?.setLang(lang), [map, lang]);
  useEffect(() => map?.setAlarms(alarms), [map, alarms]);
  useEffect(() => map?.setPulse(animate), [map, animate]);
  useEffect(() => {
    map?.showPosition(position ? { lat: position.lat, lon: position.lon, accuracyM: position.accuracyM } : null);
  }, [map, position]);
  useEffect(() => {
    if (focus) map?.flyTo(focus.lon, focus.lat);
  }, [map, focus]);

  return (
    <div class="desk-map-wrap">
      <section
        class="desk-map city-map"
        ref={box}
        aria-label={t.map}
        data-testid="desk-map"
        data-ready={map ? 'true' : 'false'}
        // What the map was last told to show (tests and assistive tools read it; the picture is the same).
        data-position={position ? `${position.lat},${position.lon},${position.accuracyM}` : ''}
      />
      <button type="button" class="map-motion" aria-pressed={animate} onClick={() => onAnimate(!animate)}>
        <span aria-hidden="true">{animate ? '◉' : '○'}</span> {t.motion}
      </button>
      {failed && (
        <p class="error" role="alert">
          {fill(t.mapUnavailable, { message: errorText(failed) })}
        </p>
      )}
    </div>
  );
}
