import { type Static, Type } from 'typebox';
import { ALARM_EVENT_KINDS, type Alarm, type Outage } from './alarms.ts';
import type { CommandStreamEvent } from './commands.ts';
import type { Incident } from './incidents.ts';

/**
 * The live stream (socket.io on the HTTP port): the events the server sends and what a client
 * may ask. `alarm`, `incident` and `report` carry an `eventId`, ordered and global across
 * server processes: a client that reconnects sends the last one it saw (`auth.lastEventId` in
 * the handshake) and gets what it missed first. An event may then arrive twice (once resumed,
 * once live): clients drop ids they have seen.
 */

/** A district code or an object type id, as a room's name. */
const RoomKey = Type.String({ pattern: '^[0-9A-Za-z_-]{1,64}$', maxLength: 64 });
/** At most this many districts, and as many object types, per client. */
export const MAX_ROOMS_PER_KIND = 64;

/**
 * Rooms: by district code and by object type. A client receives what is in any of its rooms (a
 * union), or, in no room, everything its role may see. `join` adds rooms, `leave` removes them.
 */
export const RoomSelection = Type.Object(
  {
    districts: Type.Optional(Type.Array(RoomKey, { maxItems: MAX_ROOMS_PER_KIND })),
    objectTypes: Type.Optional(Type.Array(RoomKey, { maxItems: MAX_ROOMS_PER_KIND })),
  },
  { additionalProperties: false },
);
export type RoomSelection = Static<typeof RoomSelection>;

/**
 * Handshake `auth`: a staff token or API key (a kiosk's; none in the embedded demo), where to
 * resume from, and the rooms to be in from the start (so the resumed events are the rooms' own).
 */
export const StreamAuth = Type.Object(
  {
    token: Type.Optional(Type.String({ minLength: 1, maxLength: 4096 })),
    lastEventId: Type.Optional(Type.Integer({ minimum: 0, maximum: Number.MAX_SAFE_INTEGER })),
    rooms: Type.Optional(RoomSelection),
  },
  { additionalProperties: false },
);
export type StreamAuth = Static<typeof StreamAuth>;

/** What happened to an alarm: an entry of its history, or a repeat that counted (`repeated`, not kept in the history). */
export const ALARM_ACTIONS = ['repeated', ...ALARM_EVENT_KINDS] as const;
export type AlarmAction = (typeof ALARM_ACTIONS)[number];

export interface AlarmStreamEvent {
  eventId: number;
  action: AlarmAction;
  alarm: Alarm;
}

/** A district outage (`outage`) opened, changed or cleared, or a residents' incident changed (`incident`). */
export type IncidentStreamEvent =
  | { eventId: number; kind: 'outage'; action: 'opened' | 'updated' | 'cleared'; outage: Outage }
  | { eventId: number; kind: 'incident'; action: 'opened' | 'updated'; incident: Incident };

/** A resident's report filed, or its incident's status changed (no contact, ever). */
export interface ReportStreamEvent {
  eventId: number;
  action: 'filed' | 'status';
  report: {
    incidentId: number;
    objectNumber: string;
    objectType: string | null;
    category: string;
    status: string;
    district: string | null;
    lat: number;
    lon: number;
    at: string;
  };
}

/**
 * Readings, throttled and batched (at most a few batches a second per client), column-wise: the
 * i-th reading is object `objects[objectIndex[i]]`, metric `metrics[metricIndex[i]]`, with
 * `values[i]` at `times[i]` (ms since the epoch). The numeric columns travel as binary.
 */
export interface ReadingBatch {
  objects: string[];
  metrics: string[];
  objectIndex: Uint32Array;
  metricIndex: Uint8Array;
  values: Float64Array;
  times: Float64Array;
}

/** Binary as a socket.io client receives it: an ArrayBuffer in a browser, a Buffer (a view) in Node. */
export type StreamBinary = ArrayBuffer | ArrayBufferView;

/** A ReadingBatch as it arrives: the numeric columns are little-endian bytes; `decodeReadingBatch` types them. */
export type ReadingBatchWire = Omit<ReadingBatch, 'objectIndex' | 'metricIndex' | 'values' | 'times'> & {
  objectIndex: StreamBinary;
  metricIndex: StreamBinary;
  values: StreamBinary;
  times: StreamBinary;
};

/** The columns of a received batch as typed arrays (copied when a view is not aligned for its type). */
export function decodeReadingBatch(wire: ReadingBatchWire): ReadingBatch {
  return {
    objects: wire.objects,
    metrics: wire.metrics,
    objectIndex: column(wire.objectIndex, Uint32Array),
    metricIndex: column(wire.metricIndex, Uint8Array),
    values: column(wire.values, Float64Array),
    times: column(wire.times, Float64Array),
  };
}

interface ColumnType<T> {
  new (buffer: ArrayBuffer, byteOffset: number, length: number): T;
  readonly BYTES_PER_ELEMENT: number;
}

function column<T>(bytes: StreamBinary, type: ColumnType<T>): T {
  const view = ArrayBuffer.isView(bytes)
    ? new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength)
    : new Uint8Array(bytes);
  const aligned =
    view.byteOffset % type.BYTES_PER_ELEMENT === 0 && view.buffer instanceof ArrayBuffer ? view : view.slice();
  return new type(aligned.buffer as ArrayBuffer, aligned.byteOffset, aligned.byteLength / type.BYTES_PER_ELEMENT);
}

/** The wall's key figures, sent every few seconds. */
export interface Kpis {
  at: string;
  devices: { total: number; online: number; onlinePct: number | null };
  /** Active alarms, by type and by district (`null` key: outside every district). */
  openAlarms: { total: number; byType: Record<string, number>; byDistrict: Record<string, number> };
  binsOver85: number;
  lampsFailed: number;
  /** The district with the worst air quality band now, or null without stations reporting. */
  worstAir: { district: string; band: number } | null;
}

export interface ServerToClientEvents {
  alarm: (event: AlarmStreamEvent) => void;
  incident: (event: IncidentStreamEvent) => void;
  report: (event: ReportStreamEvent) => void;
  /** A streetlight command sent, confirmed, failed or timed out (staff only, not wall screens). */
  command: (event: CommandStreamEvent) => void;
  /** The server sends a ReadingBatch; a client receives its columns as bytes (`decodeReadingBatch`). */
  reading: (batch: ReadingBatchWire) => void;
  kpi: (kpis: Kpis) => void;
  /**
   * Once per connection, when the client is up to date. After a reconnect with `lastEventId`, the
   * missed events come first (`replayed` of them, from `fromEventId` on); `complete` is false when
   * the gap was older than the log keeps (fetch the lists again). A new client gets the log's head
   * as `fromEventId`: the id to resume from if it sees no event before it disconnects.
   */
  resumed: (info: { fromEventId: number; replayed: number; complete: boolean }) => void;
}

export interface ClientToServerEvents {
  join: (rooms: RoomSelection, ack?: (result: { ok: boolean; error?: string }) => void) => void;
  leave: (rooms: RoomSelection, ack?: (result: { ok: boolean; error?: string }) => void) => void;
}
