import { ACCESS } from '@city/ingest';
import type { FastifyInstance } from 'fastify';
import { type BasemapKind, UiConfig, type WallView } from '../contract/ui-config.ts';

export interface UiSettings {
  basemapUrl?: string | undefined;
  basemapFile?: string | undefined;
  basemapAttribution?: string | undefined;
  wallViews?: WallView[] | undefined;
  wallRotateSeconds?: number | undefined;
}

/** Where the server serves BASEMAP_FILE (dashboard-pages.ts). */
export const BASEMAP_FILE_URL = '/basemap.pmtiles';

/** The pages' start settings from the platform's (BASEMAP_*, WALL_*) and the demo's kiosk token. */
export function uiConfigOf(settings: UiSettings, demoKioskToken: string | undefined): UiConfig {
  const url = settings.basemapFile ? BASEMAP_FILE_URL : (settings.basemapUrl ?? null);
  return {
    basemap: { kind: basemapKind(url), url, attribution: settings.basemapAttribution ?? null },
    demoKioskToken: demoKioskToken ?? null,
    wallRotation: { views: settings.wallViews ?? [], seconds: settings.wallRotateSeconds ?? 30 },
  };
}

function basemapKind(url: string | null): BasemapKind {
  if (url === null) return 'twin';
  const path = url.split(/[?#]/)[0] ?? url;
  if (path.endsWith('.pmtiles')) return 'pmtiles';
  if (url.includes('{z}')) return 'tiles';
  return 'style';
}

/** `GET /api/v1/ui-config`. */
export async function uiConfigRoute(app: FastifyInstance, opts: { config: UiConfig }): Promise<void> {
  app.get(
    '/ui-config',
    {
      config: { access: ACCESS.public },
      schema: {
        tags: ['pages'],
        summary: "What the dashboard's pages start from: the base map, the demo's kiosk token, the wall's rotation",
        response: { 200: UiConfig },
      },
    },
    async () => opts.config,
  );
}
