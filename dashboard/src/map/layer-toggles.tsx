import { useEffect, useState } from 'preact/hooks';
import { useStrings } from '../shared/i18n.ts';
import type { CityMap } from './city-map.ts';
import { MAP_LAYERS, type MapLayerId } from './map-layers.ts';
import { MAP_STRINGS } from './strings.ts';

/** A checkbox per map layer (keyboard operable, labelled); follows changes made elsewhere (a wall view switching air on). */
export function LayerToggles({ map, layers = MAP_LAYERS }: { map: CityMap | null; layers?: readonly MapLayerId[] }) {
  const t = useStrings(MAP_STRINGS);
  const [, redraw] = useState(0);
  useEffect(() => map?.onLayersChange(() => redraw((n) => n + 1)), [map]);
  return (
    <fieldset class="layer-toggles">
      <legend class="visually-hidden">{t.layers}</legend>
      {layers.map((id) => (
        <label key={id}>
          <input
            type="checkbox"
            data-layer={id}
            checked={map?.layerVisible(id) ?? false}
            disabled={!map}
            onChange={(e) => map?.setLayerVisible(id, (e.currentTarget as HTMLInputElement).checked)}
          />
          {t[`layer_${id}`]}
        </label>
      ))}
    </fieldset>
  );
}
