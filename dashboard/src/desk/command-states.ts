import type { Command, CommandStreamEvent } from '@city/twin/contract';

/**
 * The streetlight commands the desk follows: what the send answered (pending) and what the stream
 * says since (confirmed, failed, timed out). The two arrive in either order, so a command never
 * goes back to pending once it has an outcome, and a later change wins over an earlier one.
 */
export type TrackedCommand = Omit<CommandStreamEvent, 'eventId'> & {
  /** Why it failed or timed out, or what confirmed it: the API says, a stream event does not. */
  detail: string | null;
};

export function fromCommand(c: Command): TrackedCommand {
  const { id, objectNumber, devEui, action, level, status, updatedAt, detail } = c;
  return { id, objectNumber, devEui, action, level, status, at: updatedAt, detail };
}

export function fromEvent({ eventId: _, ...event }: CommandStreamEvent): TrackedCommand {
  return { ...event, detail: null };
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
