/**
 * A page with the city map alone, for the map's browser test (infra/test/dashboard/map.test.ts)
 * and `pnpm bench dashboard` (infra/bench/dashboard.ts). It is NOT one of the dashboard's pages:
 * the test and the bench build it with Vite's API into a temporary folder (dashboard-page.ts),
 * so it never ships in dist/.
 *
 * `?mode=platform`: the map as the wall makes it, against the running platform (same origin).
 * `?mode=bench`: nothing loaded; the bench drives `window.mapBench` (synthetic objects, updates).
 */
import '../src/shared/base.css';
import type { UiConfig } from '@city/twin/contract';
import { CityMap } from '../src/map/city-map.ts';
import { api } from '../src/shared/api.ts';
import { mapBench } from './map-bench.ts';

declare global {
  interface Window {
    cityMap?: CityMap;
    mapReady?: { objects: number } | { error: string };
    mapBench?: typeof mapBench;
  }
}

const container = document.getElementById('map') as HTMLElement;
const mode = new URLSearchParams(location.search).get('mode') ?? 'platform';

if (mode === 'bench') {
  window.mapBench = mapBench;
} else {
  try {
    const ui = await api<UiConfig>('/api/v1/ui-config');
    const map = await CityMap.create(container, { basemap: ui.basemap, token: ui.demoKioskToken, lang: 'uk' });
    window.cityMap = map;
    window.mapReady = { objects: map.objectCount };
  } catch (err) {
    window.mapReady = { error: (err as Error).message };
  }
}
