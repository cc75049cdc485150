import type { Queryable } from '@city/ingest';
import { insertLiveEvents } from '../stream/live-events-table.ts';
import type { LiveEvent } from '../stream/live-hub.ts';
import type { CommandRow } from './commands-table.ts';

/**
 * What the live stream says of commands: one `command` event per command sent or settled, in
 * the rooms of its object's district and type, scoped to its utility (the stream keeps it from
 * wall screens and viewers). Written in the transaction of the change; the caller publishes the
 * result after the commit.
 */
export function announceCommands(tx: Queryable, rows: readonly CommandRow[]): Promise<LiveEvent[]> {
  return insertLiveEvents(
    tx,
    rows.map((row) => ({
      event: 'command' as const,
      district: row.district,
      objectType: row.objectType,
      utility: row.utility,
      payload: {
        id: row.id,
        objectNumber: row.objectNumber,
        devEui: row.devEui,
        action: row.action,
        level: row.level,
        status: row.status,
        at: row.updatedAt,
      },
    })),
  );
}
