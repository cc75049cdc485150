import { type Static, Type } from 'typebox';

/** `GET /api/v1/ui-config`: what the dashboard's pages start from. Public: it holds nothing secret. */

/**
 * The wall's base map. `twin` (default): a style drawn from the twin's own data (districts,
 * streets, objects), no tiles from anywhere. `pmtiles`: a PMTiles file of the city's (a URL the
 * browser can fetch, the server's own or another). `tiles`: an XYZ raster tile URL template, or a
 * MapLibre style URL (`style`).
 */
export const BASEMAP_KINDS = ['twin', 'pmtiles', 'tiles', 'style'] as const;
export type BasemapKind = (typeof BASEMAP_KINDS)[number];

/** The wall's views a kiosk can rotate through (WALL_VIEWS): the whole city, the alarm feed, air quality, outages. */
export const WALL_VIEWS = ['city', 'alarms', 'air', 'outages'] as const;
export type WallView = (typeof WALL_VIEWS)[number];

export const UiConfig = Type.Object({
  basemap: Type.Object({
    kind: Type.Enum(BASEMAP_KINDS),
    url: Type.Union([Type.String({ maxLength: 2048 }), Type.Null()]),
    attribution: Type.Union([Type.String({ maxLength: 512 }), Type.Null()]),
  }),
  /** The embedded demo's kiosk token: the wall opens without a login. Null outside the demo (a kiosk key is required). */
  demoKioskToken: Type.Union([Type.String({ maxLength: 256 }), Type.Null()]),
  /** The wall's views it rotates through in kiosk mode, and how long each shows; empty = no rotation. */
  wallRotation: Type.Object({
    views: Type.Array(Type.Enum(WALL_VIEWS), { maxItems: 16 }),
    seconds: Type.Integer({ minimum: 5, maximum: 3600 }),
  }),
});
export type UiConfig = Static<typeof UiConfig>;
