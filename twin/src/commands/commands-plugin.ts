import type { Db, Publish } from '@city/ingest';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { Logger } from 'pino';
import type { ReadingsSource } from '../live/readings-source.ts';
import type { LiveHub } from '../stream/live-hub.ts';
import { commandRoutes } from './command-routes.ts';
import { CommandSender } from './command-sender.ts';
import type { CommandObjects } from './command-targets.ts';
import { CommandTracker } from './command-tracker.ts';

export interface CommandSettings {
  /** How long a command waits for an uplink to confirm it (COMMAND_TIMEOUT_S). */
  timeoutMs: number;
  /** How often commands past their deadline are timed out. */
  sweepMs: number;
}

export const DEFAULT_COMMAND_SETTINGS: CommandSettings = { timeoutMs: 120_000, sweepMs: 1000 };

export interface CommandsPluginOptions {
  db: Db;
  objects: CommandObjects;
  hub: LiveHub;
  log: Logger;
  /** Committed readings, which confirm commands; none: commands only time out. */
  readings?: ReadingsSource | undefined;
  /** The broker connection downlinks go out on (ingest's). */
  publish?: Publish | undefined;
  settings?: Partial<CommandSettings> | undefined;
}

/** Streetlight commands: the routes, and the tracker that settles commands until the server closes. */
export const commandsPlugin: FastifyPluginAsyncTypebox<CommandsPluginOptions> = async (app, opts) => {
  const settings = { ...DEFAULT_COMMAND_SETTINGS, ...opts.settings };
  const { db, hub, log } = opts;
  const tracker = await CommandTracker.start({ db, hub, log, readings: opts.readings, sweepMs: settings.sweepMs });
  app.addHook('onClose', () => tracker.close());
  const sender = new CommandSender({ db, hub, log, publish: opts.publish, timeoutMs: settings.timeoutMs });
  await app.register(commandRoutes, { db, objects: opts.objects, sender });
};
