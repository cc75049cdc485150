import type { Db } from '@city/ingest';
import { type Command, OBJECT_CARD_COMMANDS } from '../contract/commands.ts';
import type { ObjectEnricher } from '../objects/objects-routes.ts';
import { COMMAND_ACTORS, dispatcherUtility } from './command-routes.ts';
import { commandView, listCommands } from './commands-table.ts';

/**
 * What staff who act see on an object's card of its streetlight commands: the pending ones,
 * newest first (a dispatcher: their utility's). Wall screens and viewers see none, as on the stream.
 */
export function commandsEnricher(db: Db): ObjectEnricher {
  return async (object, principal): Promise<{ commands?: Command[] }> => {
    if (!(COMMAND_ACTORS as readonly string[]).includes(principal.role)) return {};
    const utility = dispatcherUtility(principal);
    if (utility === null || (utility !== undefined && object.ownerUtility !== utility)) return { commands: [] };
    const rows = await listCommands(db, {
      status: 'pending',
      objectNumbers: [object.number],
      limit: OBJECT_CARD_COMMANDS,
    });
    return { commands: rows.map(commandView) };
  };
}
