import { ApiError, type Db, ErrorBody, type Principal, type PrincipalRole } from '@city/ingest';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { ApiErrorCode } from '../contract/api-errors.ts';
import {
  BatchCommandRequest,
  type CommandAction,
  CommandList,
  CommandQuery,
  CommandsAccepted,
  MAX_BATCH_COMMANDS,
  ObjectCommandRequest,
} from '../contract/commands.ts';
import { ObjectNumberParams } from '../contract/objects.ts';
import type { CommandSender } from './command-sender.ts';
import {
  batchObjects,
  type CommandObjects,
  type CommandTarget,
  checkCommandUtility,
  objectTargets,
  type RequestedCommand,
  type SkippedObject,
} from './command-targets.ts';
import { commandView, listCommands } from './commands-table.ts';

/** Who commands lights and reads commands: admins, operators, and dispatchers (their own utility's). */
export const COMMAND_ACTORS = ['admin', 'operator', 'dispatcher'] as const satisfies readonly PrincipalRole[];

export interface CommandRoutesOptions {
  db: Db;
  objects: CommandObjects;
  sender: CommandSender;
}

const fail = (status: number, code: ApiErrorCode, message: string) => new ApiError<ApiErrorCode>(status, code, message);

/** What sending commands answers: the commands made, or why none (503: the broker is not connected). */
const ACCEPTED_RESPONSES = {
  202: CommandsAccepted,
  400: ErrorBody,
  403: ErrorBody,
  404: ErrorBody,
  422: ErrorBody,
  503: ErrorBody,
};

/**
 * Streetlight commands: switch one object's lights or a batch's (a list of numbers, or a cabinet's
 * row), and read commands back with their status. Audited as every state-changing request is.
 */
export const commandRoutes: FastifyPluginAsyncTypebox<CommandRoutesOptions> = async (app, { db, objects, sender }) => {
  app.post(
    '/objects/:number/command',
    {
      config: { access: COMMAND_ACTORS },
      schema: {
        tags: ['commands'],
        summary:
          "Switch an object's streetlight on or off (or dim it); pending until the device's next uplink shows it",
        params: ObjectNumberParams,
        body: ObjectCommandRequest,
        response: ACCEPTED_RESPONSES,
      },
    },
    async (request, reply) => {
      const command = checkedCommand(request.body);
      const object = objects.get(request.params.number);
      if (!object) throw fail(404, 'unknown_object', `no object has the number ${request.params.number}`);
      checkCommandUtility(request.principal, [object]);
      const targets = await objectTargets(db, object, command);
      if (typeof targets === 'string') throw fail(422, 'no_downlink', targets);
      const rows = await sendChecked(sender, targets, command, request.principal);
      return reply.status(202).send({ commands: rows.map(commandView), skipped: [] });
    },
  );

  app.post(
    '/commands',
    {
      config: { access: COMMAND_ACTORS },
      schema: {
        tags: ['commands'],
        summary: `Switch a row of streetlights: a list of object numbers or a cabinet's poles (at most ${MAX_BATCH_COMMANDS})`,
        body: BatchCommandRequest,
        response: ACCEPTED_RESPONSES,
      },
    },
    async (request, reply) => {
      const command = checkedCommand(request.body);
      const chosen = batchObjects(objects, request.body);
      request.auditTarget = JSON.stringify(
        request.body.cabinet !== undefined ? { cabinet: request.body.cabinet } : { objects: chosen.length },
      );
      checkCommandUtility(request.principal, chosen);
      const targets: CommandTarget[] = [];
      const skipped: SkippedObject[] = [];
      // One object after another: a batch is at most a few hundred small queries, and the pool stays free for others.
      for (const object of chosen) {
        const found = await objectTargets(db, object, command);
        if (typeof found === 'string') skipped.push({ objectNumber: object.number, reason: found });
        else targets.push(...found);
      }
      if (targets.length === 0) {
        throw fail(
          422,
          'no_downlink',
          `none of the ${chosen.length} objects can take the command: ${skipped[0]?.reason}`,
        );
      }
      const rows = await sendChecked(sender, targets, command, request.principal);
      return reply.status(202).send({ commands: rows.map(commandView), skipped });
    },
  );

  app.get(
    '/commands',
    {
      config: { access: COMMAND_ACTORS },
      schema: {
        tags: ['commands'],
        summary: 'Streetlight commands, newest first, by status and object; a dispatcher gets their utility’s',
        querystring: CommandQuery,
        response: { 200: CommandList, 400: ErrorBody, 404: ErrorBody },
      },
    },
    async (request) => {
      const q = request.query;
      const utility = dispatcherUtility(request.principal);
      if (utility === null) return { commands: [] };
      let objectNumbers: string[] | undefined;
      if (q.object !== undefined) {
        const object = objects.get(q.object);
        if (!object) throw fail(404, 'unknown_object', `no object has the number ${q.object}`);
        objectNumbers = [object.number];
      }
      const rows = await listCommands(db, { status: q.status, objectNumbers, utility, limit: q.limit });
      return { commands: rows.map(commandView) };
    },
  );
};

/** The utility a principal's view of commands is limited to: undefined for all, null for a dispatcher of none. */
export function dispatcherUtility(principal: Principal | undefined): string | null | undefined {
  return principal?.role === 'dispatcher' ? principal.utility : undefined;
}

/** `level` belongs to `dim` alone and `dim` needs it. */
function checkedCommand(body: { action: CommandAction; level?: number | undefined }): RequestedCommand {
  if (body.action === 'dim' && body.level === undefined)
    throw fail(400, 'bad_request', '`dim` needs a `level` (0-100)');
  if (body.action !== 'dim' && body.level !== undefined) {
    throw fail(400, 'bad_request', `\`level\` goes with \`dim\` only, not \`${body.action}\``);
  }
  return { action: body.action, level: body.level ?? null };
}

async function sendChecked(
  sender: CommandSender,
  targets: readonly CommandTarget[],
  command: RequestedCommand,
  principal: Principal | undefined,
) {
  // Refused before anything is recorded: a command that cannot leave should not sit pending.
  if (!sender.canPublish) throw fail(503, 'unavailable', 'no MQTT connection for downlinks');
  return sender.send(targets, command, principal);
}
