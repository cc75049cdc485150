import type { DistrictAggregates } from '@city/twin/contract';
import { fill } from '../shared/i18n.ts';
import { css, EAQI_COLORS } from '../shared/palette.ts';
import { districtLabel, type WallLabels } from './labels.ts';
import { wallText } from './strings.ts';

/** The air view's list: each district's EEA band (swatch, word and number), worst first. */
export function AirPanel({ air, labels }: { air: DistrictAggregates | null; labels: WallLabels }) {
  const { t } = labels;
  const rows = (air?.districts ?? [])
    .filter((d) => d.air.band !== null)
    .sort((a, b) => (b.air.band ?? 0) - (a.air.band ?? 0));
  return (
    <section class="side-panel" aria-labelledby="air-title" data-testid="air-panel">
      <h2 id="air-title">{t.airTitle}</h2>
      {rows.length === 0 && <p class="muted">{t.airNone}</p>}
      <ul class="band-list">
        {rows.map((d) => {
          const band = d.air.band as number;
          return (
            <li key={d.district ?? ''}>
              <span
                class="band-swatch"
                style={{ background: css(EAQI_COLORS[band - 1] ?? [128, 128, 128]) }}
                aria-hidden="true"
              />
              <span class="band-name">{districtLabel(d.district, labels)}</span>
              <span class="band-word">
                {band} · {wallText(t, 'eaqi_', band) ?? ''}
                {d.air.pollutant ? ` (${d.air.pollutant.toUpperCase()})` : ''}
              </span>
              <span class="muted">{fill(t.airStations, { n: d.air.stations })}</span>
            </li>
          );
        })}
      </ul>
    </section>
  );
}
