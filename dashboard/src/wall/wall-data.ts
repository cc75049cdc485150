import type { AlarmPage, Incident, Outage, ReportCategory } from '@city/twin/contract';
import { api, withQuery } from '../shared/api.ts';
import { STORE_LIMITS, type WallStore } from './wall-store.ts';

/**
 * The lists the wall starts from, and fetches again after a stream gap it could not replay: the
 * active alarms (every page, up to the store's cap), the active outages and the open incidents.
 * Each fetch is marked in the store first, so events that arrive meanwhile are not undone.
 */

const ALARM_PAGE = 500;

export async function loadLists(store: WallStore, token: string | null): Promise<void> {
  await Promise.all([loadAlarms(store, token), loadOutages(store, token), loadIncidents(store, token)]);
}

async function loadAlarms(store: WallStore, token: string | null): Promise<void> {
  const mark = store.mark();
  const alarms: AlarmPage['alarms'] = [];
  let cursor: string | null = null;
  do {
    const page: AlarmPage = await api<AlarmPage>(
      withQuery('/api/v1/alarms', { status: 'active', limit: ALARM_PAGE, cursor }),
      { token },
    );
    if (!Array.isArray(page?.alarms)) break;
    alarms.push(...page.alarms);
    cursor = typeof page.nextCursor === 'string' ? page.nextCursor : null;
  } while (cursor && alarms.length < STORE_LIMITS.alarms);
  store.loadAlarms(alarms, mark);
}

async function loadOutages(store: WallStore, token: string | null): Promise<void> {
  const mark = store.mark();
  const outages = await api<Outage[]>(withQuery('/api/v1/outages', { status: 'active', limit: 200 }), { token });
  store.loadOutages(Array.isArray(outages) ? outages : [], mark);
}

async function loadIncidents(store: WallStore, token: string | null): Promise<void> {
  const mark = store.mark();
  const incidents = await api<Incident[]>(withQuery('/api/v1/incidents', { open: true, limit: STORE_LIMITS.reports }), {
    token,
  });
  store.loadIncidents(Array.isArray(incidents) ? incidents : [], mark);
}

/** Residents' report categories with their labels (uk/en). */
export async function loadCategories(): Promise<Map<string, { uk: string; en: string }>> {
  const list = await api<ReportCategory[]>('/api/v1/report-categories');
  const categories = new Map<string, { uk: string; en: string }>();
  for (const c of Array.isArray(list) ? list : []) {
    if (typeof c?.id === 'string' && typeof c.uk === 'string' && typeof c.en === 'string')
      categories.set(c.id, { uk: c.uk, en: c.en });
  }
  return categories;
}
