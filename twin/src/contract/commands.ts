import { type Static, Type } from 'typebox';
import { ObjectNumberInput } from './reports.ts';

/**
 * Streetlight commands: staff switch a light on or off (or dim it) and the device's next uplink
 * confirms it. A command is `pending` from the moment its downlink is published until an uplink
 * shows the commanded state (`confirmed`), shows another state twice (`failed`: the first
 * contradicting uplink may have left before a Class A device heard the command), or its time runs
 * out (`timed_out`).
 */

export const COMMAND_ACTIONS = ['on', 'off', 'dim'] as const;
export type CommandAction = (typeof COMMAND_ACTIONS)[number];

export const COMMAND_STATUSES = ['pending', 'confirmed', 'failed', 'timed_out'] as const;
export type CommandStatus = (typeof COMMAND_STATUSES)[number];

/** Objects one batch may address: a cabinet's row is 15-20 poles; a street a few rows. */
export const MAX_BATCH_COMMANDS = 200;
/** Pending commands an object's card lists. */
export const OBJECT_CARD_COMMANDS = 20;
/** A reported dim level this close (percentage points) to the commanded one confirms it. */
export const DIM_TOLERANCE_PCT = 5;

const Action = Type.Union(
  COMMAND_ACTIONS.map((a) => Type.Literal(a)),
  { description: '`on`, `off`, or `dim` to `level` %' },
);
const Level = Type.Integer({ minimum: 0, maximum: 100, description: 'dim level in %, only with `dim`' });

export const ObjectCommandRequest = Type.Object(
  { action: Action, level: Type.Optional(Level) },
  { additionalProperties: false },
);
export type ObjectCommandRequest = Static<typeof ObjectCommandRequest>;

export const BatchCommandRequest = Type.Object(
  {
    numbers: Type.Optional(
      Type.Array(ObjectNumberInput, {
        minItems: 1,
        maxItems: MAX_BATCH_COMMANDS,
        description: 'the objects (poles, cabinets) to command',
      }),
    ),
    cabinet: Type.Optional(
      Type.String({
        minLength: 1,
        maxLength: 64,
        description: 'every pole this lighting cabinet switches (the poles whose `cabinet` attribute names it)',
      }),
    ),
    action: Action,
    level: Type.Optional(Level),
  },
  { additionalProperties: false, description: 'exactly one of `numbers` and `cabinet`' },
);
export type BatchCommandRequest = Static<typeof BatchCommandRequest>;

export const Command = Type.Object({
  id: Type.Integer(),
  objectNumber: Type.String(),
  devEui: Type.String(),
  action: Action,
  level: Type.Union([Type.Integer(), Type.Null()]),
  status: Type.Union(COMMAND_STATUSES.map((s) => Type.Literal(s))),
  /** who asked (username or API key name) */
  requestedBy: Type.Union([Type.String(), Type.Null()]),
  createdAt: Type.String({ format: 'date-time' }),
  /** when the status last changed */
  updatedAt: Type.String({ format: 'date-time' }),
  /** a pending command times out then */
  deadline: Type.String({ format: 'date-time' }),
  /** the hex bytes sent on the device's downlink topic */
  bytes: Type.String(),
  fPort: Type.Integer(),
  /** why it failed or timed out, or what confirmed it */
  detail: Type.Union([Type.String(), Type.Null()]),
});
export type Command = Static<typeof Command>;

export const CommandsAccepted = Type.Object({
  commands: Type.Array(Command, {
    description: 'one per device commanded: pending, or failed when the broker refused its downlink',
  }),
  skipped: Type.Array(Type.Object({ objectNumber: Type.String(), reason: Type.String() }), {
    description: "a batch's objects that got no command (no controller bound, a model that cannot do it)",
  }),
});
export type CommandsAccepted = Static<typeof CommandsAccepted>;

export const CommandQuery = Type.Object(
  {
    status: Type.Optional(Type.Union(COMMAND_STATUSES.map((s) => Type.Literal(s)))),
    object: Type.Optional(ObjectNumberInput),
    limit: Type.Integer({ minimum: 1, maximum: 500, default: 100 }),
  },
  { additionalProperties: false },
);
export type CommandQuery = Static<typeof CommandQuery>;

export const CommandList = Type.Object({ commands: Type.Array(Command, { description: 'newest first' }) });
export type CommandList = Static<typeof CommandList>;

/** A command sent or its status changed, on the live stream (staff only; not to wall screens). */
export interface CommandStreamEvent {
  eventId: number;
  id: number;
  objectNumber: string;
  devEui: string;
  action: CommandAction;
  level: number | null;
  status: CommandStatus;
  at: string;
}
