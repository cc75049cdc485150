import type { Command, CommandAction, CommandStatus, CommandStreamEvent } from '@city/twin/contract';

/**
 * The streetlight commands the desk follows: what the send answered (pending) and what the stream
 * says since (confirmed, failed, timed out). The two arrive in either order, so a command never
 * goes back to pending once it has an outcome, and a later change wins over an earlier one.
 */
export interface TrackedCommand {
  id: number;
  objectNumber: string;
  devEui: string;
  action: CommandAction;
  level: number | null;
  status: CommandStatus;
  /** When the status last changed (ISO). */
  at: string;
  detail: string | null;
}

export function fromCommand(c: Command): TrackedCommand {
  return {
    id: c.id,
    objectNumber: c.objectNumber,
    devEui: c.devEui,
    action: c.action,
    level: c.level,
    status: c.status,
    at: c.updatedAt,
    detail: c.detail,
  };
}

export function fromEvent(e: CommandStreamEvent): TrackedCommand {
  return {
    id: e.id,
    objectNumber: e.objectNumber,
    devEui: e.devEui,
    action: e.action,
    level: e.level,
    status: e.status,
    at: e.at,
    detail: null,
  };
}

/** Takes `next` unless the command held already has an outcome or a later change. */
export function mergeCommand(
  held: ReadonlyMap<number, TrackedCommand>,
  next: TrackedCommand,
): Map<number, TrackedCommand> {
  const map = new Map(held);
  const old = held.get(next.id);
  if (!old) {
    map.set(next.id, next);
    return map;
  }
  if (old.status !== 'pending' && next.status === 'pending') return map;
  if (old.status === next.status || Date.parse(next.at) >= Date.parse(old.at) || old.status === 'pending') {
    // An event carries no detail: keep the one the API gave.
    map.set(next.id, { ...next, detail: next.detail ?? old.detail });
  }
  return map;
}
