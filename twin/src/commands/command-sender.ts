import { CHIRPSTACK_DOWNLINK_TOPIC, type Db, fillTopic, type Principal, type Publish } from '@city/ingest';
import type { Logger } from 'pino';
import type { CommandAction } from '../contract/commands.ts';
import type { LiveHub } from '../stream/live-hub.ts';
import { announceCommands } from './command-live-events.ts';
import { settleCommands } from './command-settle.ts';
import type { CommandTarget } from './command-targets.ts';
import { type CommandRow, insertCommands, pendingCommandsOf } from './commands-table.ts';

export interface CommandSenderOptions {
  db: Db;
  hub: LiveHub;
  log: Logger;
  /** The broker connection downlinks go out on (ingest's); none: commands answer 503. */
  publish?: Publish | undefined;
  /** How long a command waits for an uplink to confirm it, ms. */
  timeoutMs: number;
}

/**
 * Sends commands: records each as pending (announced on the stream), then publishes its
 * downlink on the device's ChirpStack topic, as POST /devices/{devEui}/downlink does. A command
 * the broker refuses fails at once. A device's older pending command is failed first: its
 * state is no longer what anyone wants, and its uplinks would otherwise contradict the new one.
 */
export class CommandSender {
  constructor(private readonly opts: CommandSenderOptions) {}

  get canPublish(): boolean {
    return this.opts.publish !== undefined;
  }

  async send(
    targets: readonly CommandTarget[],
    command: { action: CommandAction; level: number | null },
    principal: Principal | undefined,
  ): Promise<CommandRow[]> {
    const { db, hub } = this.opts;
    const older = await pendingCommandsOf(
      db,
      targets.map((t) => t.devEui),
    );
    const { rows, events } = await db.transaction(async (tx) => {
      const rows = await insertCommands(
        tx,
        targets.map((t) => ({
          objectNumber: t.object.number,
          devEui: t.devEui,
          action: command.action,
          level: command.level,
          requestedBy: principal?.name ?? null,
          district: t.object.district,
          objectType: t.object.type,
          utility: t.object.ownerUtility,
          fPort: t.fPort,
          bytes: Buffer.from(t.bytes).toString('hex'),
          timeoutMs: this.opts.timeoutMs,
        })),
      );
      return { rows, events: await announceCommands(tx, rows) };
    });
    hub.publish(events);
    const newest = new Map(rows.map((r) => [r.devEui, r.id]));
    await settleCommands(
      db,
      hub,
      older.map((o) => ({
        id: o.id,
        status: 'failed' as const,
        contradictions: o.contradictions,
        detail: `superseded by command ${newest.get(o.devEui)}`,
      })),
    );
    const refused = await this.publishAll(targets, rows);
    if (refused.length === 0) return rows;
    const failed = await settleCommands(db, hub, refused);
    const byId = new Map(failed.map((r) => [r.id, r]));
    return rows.map((r) => byId.get(r.id) ?? r);
  }

  /** Publishes each command's downlink; returns the settlements of those the broker refused. */
  private async publishAll(targets: readonly CommandTarget[], rows: readonly CommandRow[]) {
    const results = await Promise.allSettled(
      targets.map((t) => {
        const { publish } = this.opts;
        if (!publish) return Promise.reject(new Error('no MQTT connection for downlinks'));
        const topic = fillTopic(CHIRPSTACK_DOWNLINK_TOPIC, { applicationId: t.applicationId, devEui: t.devEui });
        // ChirpStack v4's JSON downlink: its queue takes it; `confirmed: false` as the device's state is the confirmation.
        const message = {
          devEui: t.devEui,
          confirmed: false,
          fPort: t.fPort,
          data: Buffer.from(t.bytes).toString('base64'),
        };
        return publish(topic, Buffer.from(JSON.stringify(message)));
      }),
    );
    return results.flatMap((result, i) => {
      const row = rows[i];
      if (result.status === 'fulfilled' || !row) return [];
      const reason = result.reason instanceof Error ? result.reason.message : String(result.reason);
      this.opts.log.warn({ command: row.id, devEui: row.devEui, err: reason }, 'commands: downlink not published');
      return [
        {
          id: row.id,
          status: 'failed' as const,
          contradictions: 0,
          detail: `the broker did not take the downlink: ${reason}`.slice(0, 500),
        },
      ];
    });
  }
}
