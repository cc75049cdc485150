import type { Db } from '@city/ingest';
import type { CommandStatus } from '../contract/commands.ts';
import type { LiveHub } from '../stream/live-hub.ts';
import { announceCommands } from './command-live-events.ts';
import { type CommandRow, settleCommand } from './commands-table.ts';

export interface Settlement {
  id: number;
  status: CommandStatus;
  contradictions: number;
  detail: string | null;
}

/**
 * Writes what happened to pending commands, and announces those whose status changed, in one
 * transaction; publishes the announcements after it commits. A command another process settled
 * first is left as it is. Returns the rows that changed status.
 */
export async function settleCommands(db: Db, hub: LiveHub, settlements: readonly Settlement[]): Promise<CommandRow[]> {
  if (settlements.length === 0) return [];
  const { settled, events } = await db.transaction(async (tx) => {
    const settled: CommandRow[] = [];
    for (const s of settlements) {
      const row = await settleCommand(tx, s.id, s);
      if (row && row.status !== 'pending') settled.push(row);
    }
    return { settled, events: await announceCommands(tx, settled) };
  });
  hub.publish(events);
  return settled;
}
