import { type CommandAction, type CommandStatus, DIM_TOLERANCE_PCT } from '../contract/commands.ts';

/** What the state machine needs of a pending command. */
export interface PendingCommand {
  action: CommandAction;
  level: number | null;
  /** when its downlink was published, ms */
  sentAtMs: number;
  deadlineMs: number;
  /** contradicting uplinks seen so far */
  contradictions: number;
}

/** One uplink's readings of a device, as ingest committed them (metric -> value), and when it was sent. */
export interface Uplink {
  timeMs: number;
  metrics: ReadonlyMap<string, number>;
}

/** What an uplink or the clock does to a pending command. */
export type Verdict =
  | { status: 'pending'; contradictions: number; detail?: undefined }
  | { status: Exclude<CommandStatus, 'pending'>; contradictions: number; detail: string };

/**
 * Contradicting uplinks a command survives. A Class A device hears a downlink only in the receive
 * windows after its own uplink, so the uplink that opened them still shows the old state; the
 * controllers we know are Class C and answer at once, and then the first contradiction is a race
 * with a scheduled report already on its way.
 */
export const FORGIVEN_CONTRADICTIONS = 1;

/**
 * The command's state after `uplink`. An uplink from before the command was sent says nothing
 * about it (a late or replayed frame); an uplink that reports none of the metrics the command is
 * judged by (a battery-only frame) neither.
 */
export function afterUplink(command: PendingCommand, uplink: Uplink): Verdict {
  const unchanged: Verdict = { status: 'pending', contradictions: command.contradictions };
  if (uplink.timeMs < command.sentAtMs) return unchanged;
  const shown = shownState(command, uplink.metrics);
  if (shown === undefined) return unchanged;
  if (shown.matches) return { status: 'confirmed', contradictions: command.contradictions, detail: shown.detail };
  const contradictions = command.contradictions + 1;
  if (contradictions > FORGIVEN_CONTRADICTIONS) {
    return { status: 'failed', contradictions, detail: `the device reported ${shown.detail}` };
  }
  return { status: 'pending', contradictions };
}

/** The command's state at `nowMs` when no uplink settled it. */
export function afterClock(command: PendingCommand, nowMs: number): Verdict {
  if (nowMs < command.deadlineMs) return { status: 'pending', contradictions: command.contradictions };
  const seconds = Math.round((command.deadlineMs - command.sentAtMs) / 1000);
  return {
    status: 'timed_out',
    contradictions: command.contradictions,
    detail:
      command.contradictions > 0
        ? `no uplink showed the commanded state within ${seconds} s (${command.contradictions} showed another)`
        : `no uplink showed the commanded state within ${seconds} s`,
  };
}

/** Whether the uplink's metrics show what the command asked for, or undefined when they do not say. */
function shownState(
  command: PendingCommand,
  metrics: ReadonlyMap<string, number>,
): { matches: boolean; detail: string } | undefined {
  const lampOn = metrics.get('lamp_on');
  const dim = metrics.get('dim_level');
  switch (command.action) {
    case 'on':
    case 'off': {
      if (lampOn === undefined) return undefined;
      const on = lampOn >= 0.5;
      return { matches: on === (command.action === 'on'), detail: `lamp ${on ? 'on' : 'off'}` };
    }
    case 'dim': {
      const level = command.level ?? 100;
      // Dimmed to 0 is off: a controller may say so by its relay alone.
      if (dim === undefined) {
        if (lampOn === undefined) return undefined;
        if (level === 0) return { matches: lampOn < 0.5, detail: `lamp ${lampOn >= 0.5 ? 'on' : 'off'}` };
        // Lit says nothing of the level; dark contradicts any level above 0.
        return lampOn >= 0.5 ? undefined : { matches: false, detail: 'lamp off' };
      }
      return { matches: Math.abs(dim - level) <= DIM_TOLERANCE_PCT, detail: `dim level ${dim}%` };
    }
  }
}
