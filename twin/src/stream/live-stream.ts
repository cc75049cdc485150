import type { Queryable, Reading } from '@city/ingest';
import type { FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import { type BroadcastOperator, Server, type Socket } from 'socket.io';
import type { DistrictAggregates } from '../contract/live.ts';
import type { ClientToServerEvents, ServerToClientEvents } from '../contract/stream.ts';
import type { ReadingsSource } from '../live/readings-source.ts';
import type { ObjectLookup } from '../objects/object-record.ts';
import { KpiFeed } from './kpi-feed.ts';
import type { LiveEvent, LiveHub } from './live-hub.ts';
import { ReadingThrottle } from './reading-throttle.ts';
import { redisAdapter } from './redis-adapter.ts';
import { resume } from './resume.ts';
import {
  acceptHandshake,
  checkedRooms,
  type Handshake,
  type HandshakeOptions,
  originAllowed,
  principalOf,
  StreamError,
  tooManyRooms,
} from './stream-handshake.ts';
import {
  changedSubscription,
  READ_ONLY_ROOM,
  type Subscription,
  scopeRooms,
  subscriptionRooms,
} from './stream-rooms.ts';

/** How often the stream sends what changes all the time. */
export interface StreamTimings {
  /** Readings: the newest value of each object's metrics since the last send (default 500 ms). */
  readingsMs: number;
  /** KPIs (default 5 s). */
  kpiMs: number;
  /** A connected client's token is checked again this often: a revoked or expired one ends the connection (default 60 s). */
  authRecheckMs: number;
}

export const STREAM_TIMINGS: StreamTimings = { readingsMs: 500, kpiMs: 5000, authRecheckMs: 60_000 };

export interface LiveStreamOptions extends Omit<HandshakeOptions, 'app'> {
  db: Queryable;
  log: Logger;
  objects: ObjectLookup;
  /** The districts' figures the KPIs are made of (the live twin's). */
  districtAggregates: () => DistrictAggregates;
  /** Committed readings, sent on throttled; none: the stream sends no readings. */
  readings?: ReadingsSource | undefined;
  /** Origins browsers may open the stream from besides the server's own (CORS_ORIGINS). */
  corsOrigins?: readonly string[] | undefined;
  /** Several server processes share the stream through Redis: its URL and the channel prefix of this deployment. */
  redis?: { url: string; channel: string } | undefined;
  timings?: Partial<StreamTimings> | undefined;
}

interface SocketData {
  handshake: Handshake;
  subscription: Subscription;
  /** The socket's rooms, sorted and joined: sockets with the same key get the same readings batch. */
  roomsKey: string;
}

type StreamServer = Server<ClientToServerEvents, ServerToClientEvents, Record<string, never>, SocketData>;
type StreamSocket = Socket<ClientToServerEvents, ServerToClientEvents, Record<string, never>, SocketData>;
type Audience = BroadcastOperator<ServerToClientEvents, SocketData>;

const streams = new WeakMap<FastifyInstance, LiveStream>();

/**
 * The live stream: socket.io on the HTTP server's port (`/socket.io`). Clients sign in in the
 * handshake, choose rooms, and get the committed alarm, incident and report changes this process
 * or another one publishes (`publish`, through the Redis adapter when there are several), the
 * readings this process hears (every process hears all of them, so each sends to its own sockets),
 * and the KPIs. A client that reconnects with the last event id it saw gets what it missed first.
 */
export class LiveStream implements LiveHub {
  private readonly readings: ReadingThrottle;
  private readonly kpis: KpiFeed;
  private readonly timers: NodeJS.Timeout[] = [];
  private closeAdapter: () => Promise<void> = async () => {};

  private constructor(
    private readonly io: StreamServer,
    private readonly opts: LiveStreamOptions & { app: FastifyInstance },
  ) {
    this.readings = new ReadingThrottle(opts.objects);
    this.kpis = new KpiFeed(opts.db, opts.districtAggregates);
  }

  /** Attaches the stream to `app`'s HTTP server; it stops when the app closes. */
  static async attach(app: FastifyInstance, opts: LiveStreamOptions): Promise<LiveStream> {
    const corsOrigins = opts.corsOrigins ?? [];
    const io: StreamServer = new Server(app.server, {
      path: '/socket.io',
      serveClient: false,
      ...(corsOrigins.length > 0 ? { cors: { origin: [...corsOrigins] } } : {}),
      allowRequest: (req, fn) => fn(null, originAllowed(req, corsOrigins)),
      // Clients send rooms only; the limit refuses anything bigger before it is parsed.
      maxHttpBufferSize: 16 * 1024,
    });
    const stream = new LiveStream(io, { ...opts, app });
    streams.set(app, stream);
    if (opts.redis) {
      const shared = await redisAdapter(opts.redis, opts.log);
      io.adapter(shared.adapter);
      stream.closeAdapter = shared.close;
    }
    stream.listen();
    // Sockets end before the HTTP server closes, which would wait for them otherwise.
    app.addHook('preClose', async () => stream.close());
    if (opts.readings) {
      const stop = await opts.readings.listen((readings) => stream.addReadings(readings));
      app.addHook('onClose', stop);
    }
    return stream;
  }

  /** The stream of a server built by buildServer (what tests and benchmarks publish through). */
  static of(app: FastifyInstance): LiveStream | undefined {
    return streams.get(app);
  }

  /** Sends committed changes to the clients that may see them, on every server process, once each. */
  publish(events: readonly LiveEvent[]): void {
    for (const event of events) {
      const to = this.io.to(scopeRooms(event));
      // Commands are for staff who act: wall screens and viewers are in their rooms too, but not sent them.
      emitLiveEvent(event.event === 'command' ? to.except(READ_ONLY_ROOM) : to, event);
    }
  }

  /** Committed readings, sent throttled to this process's clients. */
  addReadings(readings: readonly Reading[]): void {
    if (this.io.of('/').sockets.size > 0) this.readings.add(readings);
  }

  private listen(): void {
    const { io, opts } = this;
    const timings = { ...STREAM_TIMINGS, ...opts.timings };
    io.use((socket, next) => {
      acceptHandshake(socket.handshake.auth, opts).then(
        (handshake) => {
          const subscription = changedSubscription(
            { principal: handshake.principal, districts: new Set(), objectTypes: new Set() },
            handshake.rooms,
            'join',
          );
          socket.data = { handshake, subscription, roomsKey: '' };
          next();
        },
        (err: unknown) => next(err instanceof StreamError ? err : new StreamError('internal', 'handshake failed')),
      );
    });
    io.on('connection', (socket) => this.connected(socket));
    this.every(timings.readingsMs, () => this.sendReadings());
    this.every(timings.kpiMs, () => this.sendKpis());
    this.every(timings.authRecheckMs, () => this.recheckTokens());
    this.sendKpis();
  }

  private connected(socket: StreamSocket): void {
    // In its rooms before the missed events are read: what commits meanwhile arrives live (maybe twice).
    this.subscribe(socket, socket.data.subscription);
    const kpis = this.kpis.kpis(viewOf(socket));
    if (kpis) socket.emit('kpi', kpis);
    socket.on('join', (rooms, ack) => this.changeRooms(socket, rooms, ack, 'join'));
    socket.on('leave', (rooms, ack) => this.changeRooms(socket, rooms, ack, 'leave'));
    const { lastEventId } = socket.data.handshake;
    resume(this.opts.db, socket.data.subscription, lastEventId, (event) =>
      emitLiveEvent(this.io.local.to(socket.id), event),
    ).then(
      (resumed) => socket.emit('resumed', resumed),
      (err: Error) => {
        this.opts.log.warn({ err: err.message }, 'stream: resume failed');
        socket.emit('resumed', { fromEventId: lastEventId ?? 0, replayed: 0, complete: false });
      },
    );
  }

  private changeRooms(socket: StreamSocket, rooms: unknown, ack: unknown, change: 'join' | 'leave'): void {
    const result = this.roomsChanged(socket, rooms, change);
    if (typeof ack === 'function') ack(result);
  }

  /** Moves the socket to its new rooms, unless they are refused (the answer says why). */
  private roomsChanged(
    socket: StreamSocket,
    rooms: unknown,
    change: 'join' | 'leave',
  ): { ok: boolean; error?: string } {
    const checked = checkedRooms(rooms);
    if (typeof checked === 'string') return { ok: false, error: checked };
    const next = changedSubscription(socket.data.subscription, checked, change);
    const tooMany = tooManyRooms(next.districts.size, next.objectTypes.size);
    if (tooMany) return { ok: false, error: tooMany };
    this.subscribe(socket, next);
    return { ok: true };
  }

  private subscribe(socket: StreamSocket, subscription: Subscription): void {
    const rooms = subscriptionRooms(subscription).sort();
    for (const room of socket.rooms) if (room !== socket.id && !rooms.includes(room)) socket.leave(room);
    socket.join(rooms);
    socket.data.subscription = subscription;
    socket.data.roomsKey = rooms.join('\n');
  }

  private sendReadings(): void {
    const groups = new Map<string, { rooms: Set<string>; ids: string[] }>();
    for (const socket of this.io.of('/').sockets.values()) {
      const key = socket.data.roomsKey;
      let group = groups.get(key);
      if (!group) {
        group = { rooms: new Set(key.split('\n')), ids: [] };
        groups.set(key, group);
      }
      group.ids.push(socket.id);
    }
    if (this.readings.size === 0) return;
    const audiences = [...groups.values()];
    const batches = this.readings.take(audiences.map((a) => a.rooms));
    // Every process hears every reading itself: sending through the adapter would deliver each twice.
    // One audience per turn of the event loop, so alarms and uplinks are not held up behind a wall's
    // worth of socket writes.
    audiences.forEach((audience, i) => {
      setImmediate(() => {
        for (const batch of batches[i] ?? []) this.io.local.to(audience.ids).emit('reading', batch);
      });
    });
  }

  private sendKpis(): void {
    this.kpis.refresh().then(
      () => {
        const views = new Map<string, { utility: string | null | undefined; ids: string[] }>();
        for (const socket of this.io.of('/').sockets.values()) {
          const utility = viewOf(socket);
          const key = utility === undefined ? '' : `u:${utility}`;
          const view = views.get(key) ?? { utility, ids: [] };
          view.ids.push(socket.id);
          views.set(key, view);
        }
        for (const { utility, ids } of views.values()) {
          const kpis = this.kpis.kpis(utility);
          if (kpis) this.io.local.to(ids).emit('kpi', kpis);
        }
      },
      (err: Error) => this.opts.log.warn({ err: err.message }, 'stream: KPIs not read'),
    );
  }

  /** Ends the connections whose token was revoked or expired since they connected. */
  private recheckTokens(): void {
    for (const socket of this.io.of('/').sockets.values()) {
      principalOf(socket.data.handshake.token, this.opts).catch((err: unknown) => {
        if (err instanceof StreamError && err.data.error === 'unauthorized') socket.disconnect(true);
      });
    }
  }

  private every(ms: number, fn: () => void): void {
    const timer = setInterval(fn, ms);
    timer.unref();
    this.timers.push(timer);
  }

  private async close(): Promise<void> {
    for (const timer of this.timers) clearInterval(timer);
    await this.io.close();
    await this.closeAdapter();
  }
}

/** Which alarm counts a socket's KPIs hold: a dispatcher's utility's (and those of none), or all (undefined). */
function viewOf(socket: StreamSocket): string | null | undefined {
  const { principal } = socket.data.subscription;
  return principal.role === 'dispatcher' ? principal.utility : undefined;
}

function emitLiveEvent(to: Audience, event: LiveEvent): void {
  switch (event.event) {
    case 'alarm':
      to.emit('alarm', event.payload);
      break;
    case 'incident':
      to.emit('incident', event.payload);
      break;
    case 'report':
      to.emit('report', event.payload);
      break;
    case 'command':
      to.emit('command', event.payload);
      break;
  }
}
