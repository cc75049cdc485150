import type {
  Alarm,
  AlarmStreamEvent,
  Incident,
  IncidentStreamEvent,
  Kpis,
  Outage,
  ReportStreamEvent,
} from '@city/twin/contract';
import { CLOSED_STATUSES } from '@city/twin/contract';
import type { StreamStatus } from '../shared/stream.ts';

/**
 * What the wall knows right now: the active alarms, the active district outages, the residents'
 * open incidents (their reports), the latest KPIs and whether the stream is live. Fed by the
 * lists the API answers and by the stream's events, in whatever order they come:
 *
 * - An event older than what the store holds for the same alarm, outage or incident (a lower or
 *   equal `eventId`: a repeat, or a replay after a resume) is dropped.
 * - A list fetched while events kept arriving must not undo them: `mark()` is taken before the
 *   fetch, and whatever an event touched after the mark wins over the list (a cleared alarm stays
 *   cleared even if the list, read a moment earlier, still had it active).
 * - Memory is bounded: the wall runs unattended for weeks, and a storm of alarms must not grow it
 *   without end. Past the caps the least urgent, oldest entries go.
 */

export const STORE_LIMITS = {
  /** Active alarms held; the feed shows far fewer, the KPIs come counted from the server. */
  alarms: 5000,
  /** Residents' open incidents held. */
  reports: 1000,
  /** Active outages held (a city has tens of districts and a few families). */
  outages: 500,
  /** Cleared or closed ids remembered, so a late list or replay does not bring them back. */
  tombstones: 5000,
} as const;

export type StoreLimits = { readonly [K in keyof typeof STORE_LIMITS]: number };

/**
 * A resident's open incident as the wall shows it: from a `report` event, an `incident` event or
 * the incidents list. `at` is the latest report's time (or the incident's last change when that
 * is all we have).
 */
export type ReportEntry = ReportStreamEvent['report'];

interface Held<T> {
  value: T;
  /** The newest stream event applied to it; 0 when it came from a list. */
  eventId: number;
  /** The store's change counter when it was last touched by an event (0: by a list). */
  seq: number;
}

interface Tombstone {
  eventId: number;
  seq: number;
}

/** A snapshot for the views (new object after each change; its maps are not to be modified). */
export interface WallState {
  alarms: ReadonlyMap<number, Alarm>;
  outages: ReadonlyMap<number, Outage>;
  reports: ReadonlyMap<number, ReportEntry>;
  kpis: Kpis | null;
  status: StreamStatus;
  /** Bumped by every change; views compare it cheaply. */
  version: number;
}

type Kind = 'alarm' | 'outage' | 'report';

export class WallStore {
  private readonly alarms = new Map<number, Held<Alarm>>();
  private readonly outages = new Map<number, Held<Outage>>();
  private readonly reports = new Map<number, Held<ReportEntry>>();
  private readonly tombstones: Record<Kind, Map<number, Tombstone>> = {
    alarm: new Map(),
    outage: new Map(),
    report: new Map(),
  };
  private kpis: Kpis | null = null;
  private status: StreamStatus = 'connecting';
  private seq = 0;
  private version = 0;
  private snapshot: WallState | null = null;
  private previous: WallState | null = null;
  /** The kinds changed since the last snapshot: the others keep their map (views compare by identity). */
  private readonly dirty = new Set<Kind>(['alarm', 'outage', 'report']);
  private readonly listeners = new Set<(state: WallState) => void>();

  constructor(private readonly limits: StoreLimits = STORE_LIMITS) {}

  get state(): WallState {
    if (this.snapshot) return this.snapshot;
    const before = this.previous;
    const values = <T>(kind: Kind, held: Map<number, Held<T>>, was: ReadonlyMap<number, T> | undefined) =>
      !this.dirty.has(kind) && was ? was : new Map([...held].map(([id, h]) => [id, h.value]));
    this.snapshot = {
      alarms: values('alarm', this.alarms, before?.alarms),
      outages: values('outage', this.outages, before?.outages),
      reports: values('report', this.reports, before?.reports),
      kpis: this.kpis,
      status: this.status,
      version: this.version,
    };
    this.previous = this.snapshot;
    this.dirty.clear();
    return this.snapshot;
  }

  subscribe(listener: (state: WallState) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Take before fetching a list; hand it to the `load*` call with the list's answer. */
  mark(): number {
    return this.seq;
  }

  // ---- the stream's events

  applyAlarm(event: AlarmStreamEvent): boolean {
    const { alarm } = event;
    if (!isId(alarm.id) || !isId(event.eventId)) return false;
    if (!this.fresh('alarm', this.alarms, alarm.id, event.eventId)) return false;
    if (alarm.status === 'active') this.hold(this.alarms, alarm.id, alarm, event.eventId);
    else this.bury('alarm', this.alarms, alarm.id, event.eventId);
    this.capAlarms();
    return this.changed();
  }

  applyIncident(event: IncidentStreamEvent): boolean {
    if (!isId(event.eventId)) return false;
    if (event.kind === 'outage') {
      const { outage } = event;
      if (!isId(outage.id) || !this.fresh('outage', this.outages, outage.id, event.eventId)) return false;
      if (event.action !== 'cleared' && outage.status === 'active')
        this.hold(this.outages, outage.id, outage, event.eventId);
      else this.bury('outage', this.outages, outage.id, event.eventId);
      this.capOutages();
      return this.changed();
    }
    const { incident } = event;
    if (!isId(incident.id) || !this.fresh('report', this.reports, incident.id, event.eventId)) return false;
    if (isClosed(incident.status)) this.bury('report', this.reports, incident.id, event.eventId);
    else this.hold(this.reports, incident.id, reportOfIncident(incident), event.eventId);
    this.capReports();
    return this.changed();
  }

  applyReport(event: ReportStreamEvent): boolean {
    const { report } = event;
    if (!isId(report.incidentId) || !isId(event.eventId)) return false;
    if (!this.fresh('report', this.reports, report.incidentId, event.eventId)) return false;
    if (isClosed(report.status)) this.bury('report', this.reports, report.incidentId, event.eventId);
    else {
      this.hold(this.reports, report.incidentId, { ...report }, event.eventId);
    }
    this.capReports();
    return this.changed();
  }

  setKpis(kpis: Kpis): void {
    this.kpis = kpis;
    this.changed();
  }

  setStatus(status: StreamStatus): void {
    if (status === this.status) return;
    this.status = status;
    this.changed();
  }

  // ---- lists fetched from the API

  /** The active alarms as `GET /alarms?status=active` answered (all pages), fetched after `mark`. */
  loadAlarms(alarms: readonly Alarm[], mark: number): void {
    this.load(
      'alarm',
      this.alarms,
      alarms.filter((a) => a.status === 'active'),
      (a) => a.id,
      mark,
    );
    this.capAlarms();
    this.changed();
  }

  loadOutages(outages: readonly Outage[], mark: number): void {
    this.load(
      'outage',
      this.outages,
      outages.filter((o) => o.status === 'active'),
      (o) => o.id,
      mark,
    );
    this.capOutages();
    this.changed();
  }

  /** The open incidents (`GET /incidents?open=true`): residents' reports as the feed shows them. */
  loadIncidents(incidents: readonly Incident[], mark: number): void {
    this.load(
      'report',
      this.reports,
      incidents.filter((i) => !isClosed(i.status)).map(reportOfIncident),
      (r) => r.incidentId,
      mark,
    );
    this.capReports();
    this.changed();
  }

  // ---- inside

  /** Whether an event is newer than what is held (or buried) for that id. */
  private fresh<T>(kind: Kind, held: Map<number, Held<T>>, id: number, eventId: number): boolean {
    const last = held.get(id)?.eventId ?? this.tombstones[kind].get(id)?.eventId ?? 0;
    return eventId > last;
  }

  private hold<T>(held: Map<number, Held<T>>, id: number, value: T, eventId: number): void {
    this.touch(held);
    // Re-inserted so that the map's order is the order of last change (the caps drop the oldest).
    held.delete(id);
    held.set(id, { value, eventId, seq: ++this.seq });
  }

  private bury<T>(kind: Kind, held: Map<number, Held<T>>, id: number, eventId: number): void {
    this.dirty.add(kind);
    held.delete(id);
    const graves = this.tombstones[kind];
    graves.delete(id);
    graves.set(id, { eventId, seq: ++this.seq });
    while (graves.size > this.limits.tombstones) graves.delete(graves.keys().next().value as number);
  }

  private load<T>(kind: Kind, held: Map<number, Held<T>>, list: readonly T[], idOf: (v: T) => number, mark: number) {
    this.dirty.add(kind);
    const listed = new Set<number>();
    for (const value of list) {
      const id = idOf(value);
      if (!isId(id)) continue;
      listed.add(id);
      const current = held.get(id);
      // An event after the fetch started knows better than the list.
      if (current && current.seq > mark) continue;
      const grave = this.tombstones[kind].get(id);
      if (grave && grave.seq > mark) continue;
      held.set(id, { value, eventId: current?.eventId ?? grave?.eventId ?? 0, seq: current?.seq ?? 0 });
    }
    for (const [id, current] of held) if (!listed.has(id) && current.seq <= mark) held.delete(id);
  }

  private touch(held: Map<number, unknown>): void {
    this.dirty.add(held === this.alarms ? 'alarm' : held === this.outages ? 'outage' : 'report');
  }

  private capAlarms(): void {
    if (this.alarms.size <= this.limits.alarms) return;
    // The least urgent go first, the oldest of them first: a wall must keep its criticals.
    const order = [...this.alarms.values()].sort(
      (a, b) =>
        SEVERITY_RANK[b.value.severity] - SEVERITY_RANK[a.value.severity] ||
        Date.parse(a.value.raisedAt) - Date.parse(b.value.raisedAt),
    );
    for (const held of order.slice(0, this.alarms.size - this.limits.alarms)) this.alarms.delete(held.value.id);
  }

  private capReports(): void {
    dropOldest(this.reports, this.limits.reports);
  }

  private capOutages(): void {
    dropOldest(this.outages, this.limits.outages);
  }

  private changed(): true {
    this.version++;
    this.snapshot = null;
    const state = this.state;
    for (const listener of this.listeners) listener(state);
    return true;
  }
}

/** Worst first: 0 is critical. */
export const SEVERITY_RANK: Record<Alarm['severity'], number> = { critical: 0, major: 1, minor: 2, warning: 3 };

function dropOldest<T>(held: Map<number, T>, max: number): void {
  // Insertion order is the order of last change: the first keys are the longest unchanged.
  while (held.size > max) held.delete(held.keys().next().value as number);
}

function isId(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value > 0;
}

function isClosed(status: string): boolean {
  return (CLOSED_STATUSES as readonly string[]).includes(status);
}

function reportOfIncident(incident: Incident): ReportEntry {
  return {
    incidentId: incident.id,
    objectNumber: incident.objectNumber,
    objectType: incident.objectType,
    category: incident.category,
    status: incident.status,
    district: incident.district,
    lat: incident.lat,
    lon: incident.lon,
    at: incident.lastReportAt,
  };
}
