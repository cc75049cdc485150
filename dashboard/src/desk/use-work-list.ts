import type {
  AlarmPage,
  AlarmStreamEvent,
  CommandStreamEvent,
  Incident,
  IncidentStreamEvent,
} from '@city/twin/contract';
import { useCallback, useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { withQuery } from '../shared/api.ts';
import { LiveStreamClient, type StreamStatus } from '../shared/stream.ts';
import { type DeskApi, errorText } from './desk-api.ts';
import { compareItems, matchesFilter, upsertItem, type WorkFilter, type WorkItem } from './work-items.ts';

/** Items one request fetches: a page a dispatcher scrolls through, not the city's history. */
const PAGE = 100;

export interface WorkList {
  /** Filtered and sorted, worst first. */
  items: WorkItem[];
  /** Every item held, by key (the selected one stays reachable when a filter hides it). */
  byKey: ReadonlyMap<string, WorkItem>;
  loading: boolean;
  error: string | null;
  hasMore: boolean;
  loadMore(): void;
  /** Takes an action's answer (the server's new copy of the item). */
  update(item: WorkItem): void;
  stream: StreamStatus;
}

/** What the server is asked for, per filter: the status, severity and type/category it can filter itself. */
function alarmQuery(filter: WorkFilter, cursor: string | null): string | null {
  if (filter.kind.startsWith('incident:')) return null;
  const status = { open: 'active', unacknowledged: 'active', closed: 'cleared', all: undefined }[filter.status];
  return withQuery('/api/v1/alarms', {
    status,
    acknowledged: filter.status === 'unacknowledged' ? false : undefined,
    severity: filter.severity || undefined,
    type: filter.kind.startsWith('alarm:') ? filter.kind.slice('alarm:'.length) : undefined,
    district: filter.district || undefined,
    limit: PAGE,
    cursor: cursor ?? undefined,
  });
}

function incidentQuery(filter: WorkFilter, offset: number): string | null {
  // Incidents have no severity and no alarm type: those filters leave them out.
  if (filter.severity || filter.kind.startsWith('alarm:')) return null;
  return withQuery('/api/v1/incidents', {
    open: filter.status === 'open' ? true : filter.status === 'closed' ? false : undefined,
    status: filter.status === 'unacknowledged' ? 'new' : undefined,
    category: filter.kind.startsWith('incident:') ? filter.kind.slice('incident:'.length) : undefined,
    district: filter.district || undefined,
    limit: PAGE,
    offset,
  });
}

/**
 * The work list: the first page of alarms and incidents for the server-side part of the filter,
 * more on demand, and the live stream (with the staff token, so the server sends a dispatcher
 * their utility's only) keeping every held item current. `onRaised` hears each new alarm.
 */
export function useWorkList(
  call: DeskApi,
  token: string,
  filter: WorkFilter,
  onRaised: (event: AlarmStreamEvent) => void,
  onCommand: (event: CommandStreamEvent) => void,
): WorkList {
  const [byKey, setByKey] = useState<ReadonlyMap<string, WorkItem>>(new Map());
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<string | null>(null);
  const [alarmCursor, setAlarmCursor] = useState<string | null>(null);
  const [incidentOffset, setIncidentOffset] = useState<number | null>(0);
  const [stream, setStream] = useState<StreamStatus>('connecting');
  const [reloads, setReloads] = useState(0);
  const raised = useRef(onRaised);
  raised.current = onRaised;
  const command = useRef(onCommand);
  command.current = onCommand;
  const filterRef = useRef(filter);
  filterRef.current = filter;
  // The server-side part of the filter: the search box filters what is held, without a request.
  const serverFilter = JSON.stringify({ ...filter, search: '' });

  // Answers to an older filter that arrive after a newer one's are dropped.
  const generation = useRef(0);
  const fetchPage = useCallback(
    async (cursor: string | null, offset: number | null, fresh: boolean) => {
      const f = filterRef.current;
      if (fresh) generation.current += 1;
      const mine = generation.current;
      const alarmsPath = fresh || cursor ? alarmQuery(f, cursor) : null;
      const incidentsPath = offset !== null ? incidentQuery(f, offset) : null;
      setLoading(true);
      setError(null);
      try {
        const [alarms, incidents] = await Promise.all([
          alarmsPath ? call<AlarmPage>(alarmsPath) : Promise.resolve(null),
          incidentsPath ? call<Incident[]>(incidentsPath) : Promise.resolve(null),
        ]);
        if (mine !== generation.current) return;
        setByKey((held) => {
          let next: Map<string, WorkItem> = fresh ? new Map() : new Map(held);
          for (const alarm of alarms?.alarms ?? []) next = upsertItem(next, { kind: 'alarm', alarm });
          for (const incident of incidents ?? []) next = upsertItem(next, { kind: 'incident', incident });
          return next;
        });
        setAlarmCursor(alarms?.nextCursor ?? null);
        setIncidentOffset(incidents && incidents.length === PAGE ? (offset ?? 0) + PAGE : null);
      } catch (err) {
        if (mine === generation.current) setError(errorText(err));
      } finally {
        if (mine === generation.current) setLoading(false);
      }
    },
    [call],
  );

  useEffect(() => {
    void fetchPage(null, 0, true);
  }, [serverFilter, reloads, fetchPage]);

  useEffect(() => {
    const client = new LiveStreamClient(
      {
        alarm: (event) => {
          setByKey((held) => upsertItem(held, { kind: 'alarm', alarm: event.alarm }));
          if (event.action === 'raised') raised.current(event);
        },
        incident: (event: IncidentStreamEvent) => {
          if (event.kind === 'incident')
            setByKey((held) => upsertItem(held, { kind: 'incident', incident: event.incident }));
        },
        command: (event) => command.current(event),
        // Events were missed for longer than the server keeps them: the lists are read again.
        gap: () => setReloads((n) => n + 1),
        status: (status) => setStream(status),
      },
      { token },
    );
    return () => client.close();
  }, [token]);

  const [now, setNow] = useState(Date.now());
  useEffect(() => {
    // The order depends on the clock (an incident turning overdue climbs the list).
    const timer = setInterval(() => setNow(Date.now()), 30_000);
    return () => clearInterval(timer);
  }, []);

  const items = useMemo(
    () => [...byKey.values()].filter((item) => matchesFilter(item, filter)).sort((a, b) => compareItems(a, b, now)),
    [byKey, filter, now],
  );

  return {
    items,
    byKey,
    loading,
    error,
    hasMore: alarmCursor !== null || incidentOffset !== null,
    loadMore: () => void fetchPage(alarmCursor, incidentOffset, false),
    update: (item) => setByKey((held) => upsertItem(held, item)),
    stream,
  };
}
