import type { Queryable } from '@city/ingest';
import { CLOSED_STATUSES, type Incident } from '../contract/incidents.ts';
import type { Open311Request, Open311RequestsQuery } from '../contract/open311.ts';
import { latestPublicComments } from '../incidents/incident-events-table.ts';
import { type IncidentFilter, listIncidents } from '../incidents/incidents-table.ts';
import type { ReportCategories } from '../reports/report-categories.ts';

export type Language = 'uk' | 'en';

/** Open311 asks for at most this span of time at once, and answers at most this many requests. */
const MAX_SPAN_DAYS = 90;
const DAY_MS = 86_400_000;
const MAX_REQUESTS = 1000;

/** A filter's problem as Open311 explains it, or the filter. */
export function requestsFilter(q: Open311RequestsQuery, now = new Date()): IncidentFilter | string {
  const base = { limit: MAX_REQUESTS, offset: 0 };
  // Asked by id, the other filters do not apply (the spec's rule).
  if (q.service_request_id !== undefined) {
    return { ...base, ids: q.service_request_id.split(',').map(Number) };
  }
  const end = q.end_date
    ? new Date(q.end_date)
    : q.start_date
      ? new Date(Date.parse(q.start_date) + MAX_SPAN_DAYS * DAY_MS)
      : now;
  const start = q.start_date ? new Date(q.start_date) : new Date(end.getTime() - MAX_SPAN_DAYS * DAY_MS);
  if (start > end) return 'start_date is after end_date';
  if (end.getTime() - start.getTime() > MAX_SPAN_DAYS * DAY_MS)
    return `start_date and end_date span at most ${MAX_SPAN_DAYS} days`;
  const statuses = new Set(q.status?.split(','));
  return {
    ...base,
    categories: q.service_code?.split(','),
    open: statuses.size === 1 ? statuses.has('open') : undefined,
    openedFrom: start.toISOString(),
    openedBefore: end.toISOString(),
  };
}

/** Incidents as Open311 service requests, with each one's latest public comment as its status notes. */
export async function open311Requests(
  db: Queryable,
  categories: ReportCategories,
  filter: IncidentFilter,
  language: Language,
): Promise<Open311Request[]> {
  const incidents = await listIncidents(db, filter);
  const notes = await latestPublicComments(
    db,
    incidents.map((i) => i.id),
  );
  return incidents.map((i) => asOpen311Request(i, categories, notes.get(i.id) ?? null, language));
}

function asOpen311Request(
  i: Incident,
  categories: ReportCategories,
  statusNotes: string | null,
  language: Language,
): Open311Request {
  const category = categories.get(i.category);
  return {
    service_request_id: String(i.id),
    status: CLOSED_STATUSES.includes(i.status) ? 'closed' : 'open',
    status_notes: statusNotes,
    service_name: category ? category[language] : i.category,
    service_code: i.category,
    description: null,
    agency_responsible: i.utility,
    service_notice: null,
    requested_datetime: i.openedAt,
    updated_datetime: i.updatedAt,
    expected_datetime: i.slaDueAt,
    address: i.address,
    address_id: i.objectNumber,
    zipcode: null,
    lat: i.lat,
    long: i.lon,
    media_url: null,
  };
}

/** English when the client's first preferred language is, Ukrainian (the city's) otherwise. */
export function preferredLanguage(acceptLanguage: string | undefined): Language {
  return acceptLanguage?.trim().toLowerCase().startsWith('en') ? 'en' : 'uk';
}
