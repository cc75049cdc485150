import type { Principal } from '@city/ingest';
import type { RoomSelection } from '../contract/stream.ts';
import type { LiveEventFilter } from './live-events-table.ts';
import type { LiveEventScope } from './live-hub.ts';

/**
 * Who may see what is in the room names, so that an emit to a list of rooms (through the Redis
 * adapter, to every process) needs no check per socket. Each room has a viewer prefix:
 * - `` for the roles that see everything (admin, operator, viewer, kiosk);
 * - `u:{utility}:` for the dispatchers of a utility, `n:` for what belongs to no utility (every
 *   dispatcher is in those rooms too).
 * Under a prefix: `all` (a client in no room), `d:{district}`, `t:{objectType}`. An event goes to
 * its rooms under `` and under its utility's prefix (or `n:`); socket.io sends it once to a socket
 * in several of them. District codes, type ids and utility ids hold no `:`, so names cannot collide.
 */

/** Where a socket's events and readings come from: its role's view, and the rooms it chose. */
export interface Subscription {
  principal: Principal;
  districts: ReadonlySet<string>;
  objectTypes: ReadonlySet<string>;
}

const NO_UTILITY = 'n:';

/**
 * Where wall screens and viewers also are, so that what only staff who act may see (commands)
 * is sent to an event's rooms except this one. No `:`, so no other room is named so.
 */
export const READ_ONLY_ROOM = 'readonly';

/** Roles that only read: they do not see staff-only events (commands). */
export function readsOnly(principal: Principal): boolean {
  return principal.role === 'kiosk' || principal.role === 'viewer';
}

/** The rooms an event (or an object's readings) goes to. */
export function scopeRooms(scope: Omit<LiveEventScope, 'id'>): string[] {
  return [...roomsUnder('', scope), ...roomsUnder(scope.utility === null ? NO_UTILITY : `u:${scope.utility}:`, scope)];
}

/** The rooms a socket is in. */
export function subscriptionRooms(sub: Subscription): string[] {
  const chosen = sub.districts.size + sub.objectTypes.size > 0;
  const rooms = viewerPrefixes(sub.principal).flatMap((prefix) =>
    chosen
      ? [...[...sub.districts].map((d) => `${prefix}d:${d}`), ...[...sub.objectTypes].map((t) => `${prefix}t:${t}`)]
      : [`${prefix}all`],
  );
  return readsOnly(sub.principal) ? [...rooms, READ_ONLY_ROOM] : rooms;
}

/** What a subscription may see of the log, as a query filters it (the rooms' rule, in SQL terms). */
export function visibleScope(sub: Subscription): LiveEventFilter {
  return {
    ...(sub.principal.role === 'dispatcher' ? { utility: sub.principal.utility } : {}),
    ...(readsOnly(sub.principal) ? { staffOnly: false } : {}),
    districts: [...sub.districts],
    objectTypes: [...sub.objectTypes],
  };
}

/** A subscription with `rooms` added (`join`) or taken away (`leave`). */
export function changedSubscription(sub: Subscription, rooms: RoomSelection, change: 'join' | 'leave'): Subscription {
  const apply = (held: ReadonlySet<string>, given: readonly string[] | undefined) => {
    const next = new Set(held);
    for (const key of given ?? []) {
      if (change === 'join') next.add(key);
      else next.delete(key);
    }
    return next;
  };
  return {
    principal: sub.principal,
    districts: apply(sub.districts, rooms.districts),
    objectTypes: apply(sub.objectTypes, rooms.objectTypes),
  };
}

/** The role's view: dispatchers see their utility's and what belongs to none; the other roles all. */
function viewerPrefixes(principal: Principal): string[] {
  if (principal.role !== 'dispatcher') return [''];
  return principal.utility === null ? [NO_UTILITY] : [`u:${principal.utility}:`, NO_UTILITY];
}

function roomsUnder(prefix: string, scope: Omit<LiveEventScope, 'id'>): string[] {
  const rooms = [`${prefix}all`];
  if (scope.district !== null) rooms.push(`${prefix}d:${scope.district}`);
  if (scope.objectType !== null) rooms.push(`${prefix}t:${scope.objectType}`);
  return rooms;
}
