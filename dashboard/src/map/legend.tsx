import { ALARM_SEVERITIES } from '@city/twin/contract';
import { useStrings } from '../shared/i18n.ts';
import { css, EAQI_COLORS, SEVERITY_COLORS, SEVERITY_SYMBOLS } from '../shared/palette.ts';
import { OBJECT_LOOKS, type ObjectLook } from './object-states.ts';
import { MAP_STRINGS } from './strings.ts';

/**
 * The map's legend: every object look with its words (each also differs by size, outline or
 * fill, not by colour alone), the alarm severities with their symbols, and optionally the air
 * quality bands. Pages place it where they like (over the map or beside it).
 */
export function Legend({ air = false, compact = false }: { air?: boolean; compact?: boolean }) {
  const t = useStrings(MAP_STRINGS);
  const looks = Object.keys(OBJECT_LOOKS) as ObjectLook[];
  return (
    <section class="map-legend" aria-label={t.legend}>
      <h3>{t.objects}</h3>
      {looks.map((look) => {
        const { fill, outline, hollow } = OBJECT_LOOKS[look];
        return [
          <span
            key={`${look}-s`}
            class={`swatch${outline && !hollow ? ' outline' : ''}${hollow ? ' hollow' : ''}`}
            style={{ background: hollow ? 'transparent' : css(fill), color: css(fill) }}
            aria-hidden="true"
          />,
          <span key={look}>{t[look]}</span>,
        ];
      })}
      {!compact && <h3>{t.alarms}</h3>}
      {!compact &&
        ALARM_SEVERITIES.map((severity) => [
          <span
            key={`${severity}-s`}
            class="symbol"
            style={{ color: css(SEVERITY_COLORS[severity]) }}
            aria-hidden="true"
          >
            {SEVERITY_SYMBOLS[severity]}
          </span>,
          <span key={severity}>{t[`severity_${severity}`]}</span>,
        ])}
      {!compact && [
        <span
          key="outage-s"
          class="swatch zone outline"
          style={{ background: 'transparent', borderColor: css(SEVERITY_COLORS.major) }}
          aria-hidden="true"
        />,
        <span key="outage">{t.outageNote}</span>,
        <span key="incident-s" class="symbol" aria-hidden="true">
          !
        </span>,
        <span key="incident">{t.incidentNote}</span>,
      ]}
      {air && <h3>{t.airTitle}</h3>}
      {air &&
        EAQI_COLORS.map((color, i) => [
          <span key={`eaqi-${i}-s`} class="swatch zone" style={{ background: css(color) }} aria-hidden="true" />,
          <span key={`eaqi-${i}`}>{t[`eaqi_${(i + 1) as 1 | 2 | 3 | 4 | 5 | 6}`]}</span>,
        ])}
    </section>
  );
}
