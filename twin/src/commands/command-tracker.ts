import type { Db, Reading } from '@city/ingest';
import type { Logger } from 'pino';
import type { ReadingsSource } from '../live/readings-source.ts';
import type { LiveHub } from '../stream/live-hub.ts';
import { type Settlement, settleCommands } from './command-settle.ts';
import { afterClock, afterUplink, type PendingCommand, type Uplink } from './command-state.ts';
import { type CommandRow, overdueCommands, pendingCommandsOf } from './commands-table.ts';

/** The metrics a command is judged by; readings of other metrics never reach the database here. */
const JUDGED_METRICS = new Set(['lamp_on', 'dim_level']);
/** Overdue commands settled per sweep; more wait for the next one. */
const SWEEP_BATCH = 500;

export interface CommandTrackerOptions {
  db: Db;
  hub: LiveHub;
  log: Logger;
  /** Committed readings (every server process hears them all); none: commands only time out. */
  readings?: ReadingsSource | undefined;
  /** How often pending commands past their deadline are timed out, ms. */
  sweepMs: number;
}

/**
 * Settles pending commands: each device's uplinks (its committed lamp_on / dim_level readings)
 * confirm or contradict its pending commands, and a sweep times out those past their deadline.
 * Every server process runs one; the database decides which of them settles a command first.
 */
export class CommandTracker {
  private readonly timer: NodeJS.Timeout;
  private stopReadings: () => Promise<void> = async () => {};
  /** Uplinks are judged one batch at a time, in order, so two batches of a device never race. */
  private queue: Promise<void> = Promise.resolve();

  private constructor(private readonly opts: CommandTrackerOptions) {
    this.timer = setInterval(() => {
      this.sweep().catch((err: Error) => opts.log.warn({ err: err.message }, 'commands: timeout sweep failed'));
    }, opts.sweepMs);
    this.timer.unref();
  }

  static async start(opts: CommandTrackerOptions): Promise<CommandTracker> {
    const tracker = new CommandTracker(opts);
    if (opts.readings) tracker.stopReadings = await opts.readings.listen((readings) => tracker.heard(readings));
    return tracker;
  }

  /** Readings committed by ingest: the uplinks among them that say something of a lamp. */
  heard(readings: readonly Reading[]): void {
    const uplinks = uplinksOf(readings);
    if (uplinks.size === 0) return;
    this.queue = this.queue
      .then(() => this.judge(uplinks))
      .catch((err: Error) => this.opts.log.warn({ err: err.message }, 'commands: uplinks not judged'));
  }

  /** Resolves when every batch heard so far is judged (tests wait on it). */
  idle(): Promise<void> {
    return this.queue;
  }

  /** Times out the pending commands past their deadline; returns how many. */
  async sweep(): Promise<number> {
    const overdue = await overdueCommands(this.opts.db, SWEEP_BATCH);
    const settlements = overdue.map((row) => {
      const command = pendingOf(row);
      // The database said the deadline passed; its clock, not this process's, is the judge.
      const verdict = afterClock(command, Math.max(Date.now(), command.deadlineMs));
      return { id: row.id, ...verdict, detail: verdict.detail ?? null };
    });
    return (await settleCommands(this.opts.db, this.opts.hub, settlements)).length;
  }

  private async judge(uplinks: ReadonlyMap<string, Uplink[]>): Promise<void> {
    const pending = await pendingCommandsOf(this.opts.db, [...uplinks.keys()]);
    const settlements: Settlement[] = [];
    for (const row of pending) {
      let command = pendingOf(row);
      let settlement: Settlement | undefined;
      for (const uplink of uplinks.get(row.devEui) ?? []) {
        const verdict = afterUplink(command, uplink);
        if (verdict.contradictions === command.contradictions && verdict.status === 'pending') continue;
        settlement = { id: row.id, ...verdict, detail: verdict.detail ?? null };
        command = { ...command, contradictions: verdict.contradictions };
        if (verdict.status !== 'pending') break;
      }
      if (settlement) settlements.push(settlement);
    }
    await settleCommands(this.opts.db, this.opts.hub, settlements);
  }

  async close(): Promise<void> {
    clearInterval(this.timer);
    await this.stopReadings();
    await this.queue;
  }
}

/** The uplinks of each device among `readings` that carry a judged metric, oldest first. */
export function uplinksOf(readings: readonly Reading[]): Map<string, Uplink[]> {
  const byUplink = new Map<string, { devEui: string; timeMs: number; metrics: Map<string, number> }>();
  for (const r of readings) {
    if (!JUDGED_METRICS.has(r.metric)) continue;
    // One uplink's readings share its device and time.
    const key = `${r.devEui}@${r.timeMs}`;
    let uplink = byUplink.get(key);
    if (!uplink) {
      uplink = { devEui: r.devEui, timeMs: r.timeMs, metrics: new Map() };
      byUplink.set(key, uplink);
    }
    uplink.metrics.set(r.metric, r.value);
  }
  const byDevice = new Map<string, Uplink[]>();
  for (const u of byUplink.values()) {
    const list = byDevice.get(u.devEui) ?? [];
    list.push({ timeMs: u.timeMs, metrics: u.metrics });
    byDevice.set(u.devEui, list);
  }
  for (const list of byDevice.values()) list.sort((a, b) => a.timeMs - b.timeMs);
  return byDevice;
}

function pendingOf(row: CommandRow): PendingCommand {
  return {
    action: row.action,
    level: row.level,
    sentAtMs: Date.parse(row.createdAt),
    deadlineMs: Date.parse(row.deadline),
    contradictions: row.contradictions,
  };
}
