/** The part of aedes' persistence that holds each persistent session's outgoing QoS 1 messages. */
export interface OutgoingQueues {
  outgoingEnqueue(sub: { clientId: string }, packet: unknown): Promise<void>;
  outgoingEnqueueCombi(subs: { clientId: string }[], packet: unknown): Promise<void>;
  outgoingClearMessageId(client: { id: string }, packet: unknown): Promise<unknown>;
}

/**
 * Caps every session's queue at `limit` messages. aedes' in-memory persistence queues, without
 * end, each QoS 1 message for every persistent session until its client acknowledges it, so a
 * subscriber that stays away would grow the process until it dies. Past the cap a message is
 * not queued for that session (`onFull` says so); an online client that has let that many go
 * unacknowledged is disconnected by aedes when it cannot find the message to send.
 */
export function boundQueues(persistence: OutgoingQueues, limit: number, onFull: (clientId: string) => void): void {
  const queued = new Map<string, number>();
  const take = (clientId: string): boolean => {
    const n = queued.get(clientId) ?? 0;
    if (n >= limit) {
      onFull(clientId);
      return false;
    }
    queued.set(clientId, n + 1);
    return true;
  };
  const enqueue = persistence.outgoingEnqueue.bind(persistence);
  const enqueueCombi = persistence.outgoingEnqueueCombi.bind(persistence);
  const clear = persistence.outgoingClearMessageId.bind(persistence);
  persistence.outgoingEnqueue = async (sub, packet) => {
    if (take(sub.clientId)) await enqueue(sub, packet);
  };
  persistence.outgoingEnqueueCombi = async (subs, packet) => {
    const room = subs.filter((sub) => take(sub.clientId));
    if (room.length > 0) await enqueueCombi(room, packet);
  };
  persistence.outgoingClearMessageId = async (client, packet) => {
    const removed = await clear(client, packet);
    const n = queued.get(client.id) ?? 0;
    if (removed && n > 1) queued.set(client.id, n - 1);
    else if (removed) queued.delete(client.id);
    return removed;
  };
}
