import type { UiConfig } from '@city/twin/contract';
import type { LayerSpecification, StyleSpecification } from 'maplibre-gl';
import type { BaseMap } from './map-base.ts';

/**
 * The MapLibre style of the base map, by `ui-config`'s basemap kind:
 * - `twin` (default): drawn from the twin's own data - districts filled and outlined, streets as
 *   lines widening with the zoom. No tiles, no fonts, nothing from outside: it works offline.
 *   Labels are not in this style (MapLibre needs glyph PBFs for text and there is no glyph
 *   server); deck.gl's TextLayer draws them from the browser's own fonts (labels-layer).
 * - `pmtiles`: a PMTiles file (the `pmtiles://` protocol, registered by city-map.ts); raster
 *   tiles draw as they are, vector tiles get a plain style from the file's own layer list.
 * - `tiles`: an XYZ raster URL template (`.../{z}/{x}/{y}.png`).
 * - `style`: a complete MapLibre style URL, used as it is.
 * Districts and streets of the twin are drawn over every kind but `style`.
 */
export const BASE_COLORS = {
  background: '#0e1116',
  districtFill: '#1a2230',
  districtLine: '#56647a',
  street: '#3a4658',
  streetCasing: '#141a22',
} as const;

export type BasemapConfig = UiConfig['basemap'];

/** What a PMTiles file says of itself, as much as the style needs. */
export interface PmtilesInfo {
  tileType: 'raster' | 'vector';
  minZoom: number;
  maxZoom: number;
  vectorLayers: string[];
}

export function baseStyle(config: BasemapConfig, base: BaseMap, pmtiles?: PmtilesInfo): StyleSpecification | string {
  if (config.kind === 'style' && config.url) return config.url;
  const style: StyleSpecification = {
    version: 8,
    sources: {},
    layers: [{ id: 'background', type: 'background', paint: { 'background-color': BASE_COLORS.background } }],
  };
  const attribution = config.attribution ?? undefined;
  if (config.kind === 'tiles' && config.url) {
    style.sources.tiles = { type: 'raster', tiles: [config.url], tileSize: 256, attribution };
    style.layers.push({ id: 'tiles', type: 'raster', source: 'tiles' });
  } else if (config.kind === 'pmtiles' && config.url && pmtiles) {
    const url = `pmtiles://${new URL(config.url, location.href).href}`;
    if (pmtiles.tileType === 'raster') {
      style.sources.tiles = { type: 'raster', url, tileSize: 256, attribution };
      style.layers.push({ id: 'tiles', type: 'raster', source: 'tiles' });
    } else {
      style.sources.tiles = { type: 'vector', url, attribution };
      for (const layer of pmtiles.vectorLayers.slice(0, 64)) {
        style.layers.push(
          {
            id: `tiles-${layer}-fill`,
            type: 'fill',
            source: 'tiles',
            'source-layer': layer,
            filter: ['==', ['geometry-type'], 'Polygon'],
            paint: { 'fill-color': '#18202b', 'fill-outline-color': '#232d3a' },
          },
          {
            id: `tiles-${layer}-line`,
            type: 'line',
            source: 'tiles',
            'source-layer': layer,
            filter: ['==', ['geometry-type'], 'LineString'],
            paint: { 'line-color': BASE_COLORS.street, 'line-width': 1 },
          },
        );
      }
    }
  }
  style.sources.city = { type: 'geojson', data: base.geojson as GeoJSON.FeatureCollection };
  const onTiles = style.layers.length > 1;
  style.layers.push(
    {
      id: 'district-fill',
      type: 'fill',
      source: 'city',
      filter: ['==', ['get', 'kind'], 'district'],
      paint: { 'fill-color': BASE_COLORS.districtFill, 'fill-opacity': onTiles ? 0.15 : 1 },
    },
    streetLine('street-casing', BASE_COLORS.streetCasing, 1.5, 22),
    streetLine('street', BASE_COLORS.street, 0.8, 16),
    {
      id: 'district-line',
      type: 'line',
      source: 'city',
      filter: ['==', ['get', 'kind'], 'district'],
      paint: { 'line-color': BASE_COLORS.districtLine, 'line-width': 1.5, 'line-dasharray': [3, 2] },
    },
  );
  return style;
}

/** A street's line, drawn twice (casing under, street over): `minWidth` px at zoom 11 to `maxWidth` at 18. */
function streetLine(id: string, color: string, minWidth: number, maxWidth: number): LayerSpecification {
  return {
    id,
    type: 'line',
    source: 'city',
    filter: ['==', ['get', 'kind'], 'street'],
    layout: { 'line-cap': 'round', 'line-join': 'round' },
    paint: {
      'line-color': color,
      'line-width': ['interpolate', ['exponential', 1.6], ['zoom'], 11, minWidth, 18, maxWidth],
    },
  };
}
