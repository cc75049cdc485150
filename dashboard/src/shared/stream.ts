import {
  type AlarmStreamEvent,
  type ClientToServerEvents,
  type CommandStreamEvent,
  decodeReadingBatch,
  type IncidentStreamEvent,
  type Kpis,
  type ReadingBatch,
  type ReportStreamEvent,
  type RoomSelection,
  type ServerToClientEvents,
  type StreamAuth,
} from '@city/twin/contract';
import { io, type Socket } from 'socket.io-client';

/**
 * The live stream (socket.io on the page's own origin) as the pages use it: it reconnects by
 * itself for ever (a wall screen is never touched), resumes from the last event it saw so that
 * nothing is missed while the network was away, drops events it has already seen (a resumed one
 * may also arrive live), and tells the page whether it is connected.
 */

export type StreamStatus = 'connecting' | 'live' | 'offline';

export interface StreamHandlers {
  alarm?: (event: AlarmStreamEvent) => void;
  incident?: (event: IncidentStreamEvent) => void;
  report?: (event: ReportStreamEvent) => void;
  /** A streetlight command sent or settled (staff only). */
  command?: (event: CommandStreamEvent) => void;
  reading?: (batch: ReadingBatch) => void;
  kpi?: (kpis: Kpis) => void;
  /** After a reconnect that could not replay everything (`complete: false`): lists should be fetched again. */
  gap?: () => void;
  status?: (status: StreamStatus, detail?: string) => void;
}

export interface StreamOptions {
  /** A staff token or kiosk key; none: the embedded demo's kiosk. */
  token?: string | null;
  rooms?: RoomSelection;
  /** Where the stream is (tests, the dev server); default: this page's origin. */
  url?: string;
}

/** How many event ids to remember for dropping repeats: far more than one resume replays at once. */
const SEEN_IDS = 4096;

export class LiveStreamClient {
  readonly socket: Socket<ServerToClientEvents, ClientToServerEvents>;
  private lastEventId: number | undefined;
  private readonly seen = new Set<number>();

  constructor(handlers: StreamHandlers, opts: StreamOptions = {}) {
    const auth = (): StreamAuth => ({
      ...(opts.token ? { token: opts.token } : {}),
      ...(this.lastEventId !== undefined ? { lastEventId: this.lastEventId } : {}),
      ...(opts.rooms ? { rooms: opts.rooms } : {}),
    });
    this.socket = io(opts.url ?? '', {
      // A function: every reconnect sends the newest lastEventId.
      auth: (send) => send(auth()),
      transports: ['websocket'],
      reconnection: true,
      reconnectionAttempts: Number.POSITIVE_INFINITY,
      reconnectionDelay: 500,
      reconnectionDelayMax: 5000,
    });
    handlers.status?.('connecting');
    this.socket.on('connect', () => handlers.status?.('live'));
    this.socket.on('disconnect', (reason) => handlers.status?.('offline', reason));
    this.socket.on('connect_error', (err) => {
      handlers.status?.('offline', err.message);
      // A refused handshake (bad token) is not retried by socket.io; a network failure is.
      if (!this.socket.active) setTimeout(() => this.socket.connect(), 5000);
    });
    this.socket.on('resumed', (info) => {
      if (this.lastEventId === undefined) this.lastEventId = info.fromEventId;
      if (!info.complete) handlers.gap?.();
    });
    this.socket.on('alarm', (event) => this.once(event.eventId) && handlers.alarm?.(event));
    this.socket.on('incident', (event) => this.once(event.eventId) && handlers.incident?.(event));
    this.socket.on('report', (event) => this.once(event.eventId) && handlers.report?.(event));
    this.socket.on('command', (event) => this.once(event.eventId) && handlers.command?.(event));
    this.socket.on('reading', (wire) => handlers.reading?.(decodeReadingBatch(wire)));
    this.socket.on('kpi', (kpis) => handlers.kpi?.(kpis));
  }

  /** Changes the rooms this client is in (the server answers whether it took them). */
  join(rooms: RoomSelection): Promise<void> {
    return this.ask('join', rooms);
  }

  leave(rooms: RoomSelection): Promise<void> {
    return this.ask('leave', rooms);
  }

  close(): void {
    this.socket.close();
  }

  private ask(event: 'join' | 'leave', rooms: RoomSelection): Promise<void> {
    return new Promise((resolve, reject) =>
      this.socket.emit(event, rooms, (result) => (result.ok ? resolve() : reject(new Error(result.error)))),
    );
  }

  /** True the first time an event id is seen; it becomes the id to resume from. */
  private once(eventId: number): boolean {
    if (this.seen.has(eventId)) return false;
    this.seen.add(eventId);
    if (this.seen.size > SEEN_IDS) this.seen.delete(this.seen.values().next().value as number);
    if (this.lastEventId === undefined || eventId > this.lastEventId) this.lastEventId = eventId;
    return true;
  }
}
