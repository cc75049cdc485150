import { isoTime, numberArray, type Queryable, textArray } from '@city/ingest';
import type { Command, CommandAction, CommandStatus } from '../contract/commands.ts';

/** The commands table (migrations/007_commands.sql): its columns, row format and queries. */

/** A command as stored, with who may see it and what the state machine keeps. */
export interface CommandRow extends Command {
  district: string | null;
  objectType: string | null;
  utility: string | null;
  contradictions: number;
}

export interface NewCommand {
  objectNumber: string;
  devEui: string;
  action: CommandAction;
  level: number | null;
  requestedBy: string | null;
  district: string | null;
  objectType: string | null;
  utility: string | null;
  fPort: number;
  bytes: string;
  timeoutMs: number;
}

const COLUMNS = `id::int AS id, object_number AS "objectNumber", dev_eui AS "devEui", action,
  level::int AS level, status, requested_by AS "requestedBy", district, object_type AS "objectType", utility,
  f_port AS "fPort", bytes, contradictions, detail, ${isoTime('created_at')} AS "createdAt",
  ${isoTime('updated_at')} AS "updatedAt", ${isoTime('deadline')} AS deadline`;

/** Writes the commands, pending, each with its deadline `timeoutMs` from now. */
export async function insertCommands(tx: Queryable, commands: readonly NewCommand[]): Promise<CommandRow[]> {
  if (commands.length === 0) return [];
  const column = <K extends keyof NewCommand>(key: K) => commands.map((c) => c[key]);
  const { rows } = await tx.query<CommandRow>(
    `INSERT INTO commands (object_number, dev_eui, action, level, requested_by, district, object_type, utility,
                           f_port, bytes, deadline)
     SELECT o, d, a, l, r, di, t, u, p, b, now() + ms * interval '1 millisecond'
       FROM unnest($1::text[], $2::text[], $3::text[], $4::int[], $5::text[], $6::text[], $7::text[], $8::text[],
                   $9::int[], $10::text[], $11::float8[]) WITH ORDINALITY AS x(o, d, a, l, r, di, t, u, p, b, ms, n)
      ORDER BY n
     RETURNING ${COLUMNS}`,
    [
      textArray(column('objectNumber')),
      textArray(column('devEui')),
      textArray(column('action')),
      numberArray(column('level')),
      textArray(column('requestedBy')),
      textArray(column('district')),
      textArray(column('objectType')),
      textArray(column('utility')),
      numberArray(column('fPort')),
      textArray(column('bytes')),
      numberArray(column('timeoutMs')),
    ],
  );
  return rows.sort((a, b) => a.id - b.id);
}

/** The pending commands of these devices, oldest first. */
export async function pendingCommandsOf(db: Queryable, devEuis: readonly string[]): Promise<CommandRow[]> {
  if (devEuis.length === 0) return [];
  const { rows } = await db.query<CommandRow>(
    `SELECT ${COLUMNS} FROM commands WHERE status = 'pending' AND dev_eui = ANY($1::text[]) ORDER BY id`,
    [textArray(devEuis)],
  );
  return rows;
}

/**
 * Moves a pending command on. Only a command still pending changes: when several processes hear
 * the same uplink, one of them settles it and the others get undefined (and announce nothing).
 */
export async function settleCommand(
  tx: Queryable,
  id: number,
  change: { status: CommandStatus; contradictions: number; detail: string | null },
): Promise<CommandRow | undefined> {
  const { rows } = await tx.query<CommandRow>(
    `UPDATE commands SET status = $2, contradictions = $3, detail = coalesce($4, detail), updated_at = now()
      WHERE id = $1 AND status = 'pending' RETURNING ${COLUMNS}`,
    [id, change.status, change.contradictions, change.detail],
  );
  return rows[0];
}

/** Pending commands whose deadline has passed, oldest first (at most `limit`). */
export async function overdueCommands(db: Queryable, limit: number): Promise<CommandRow[]> {
  const { rows } = await db.query<CommandRow>(
    `SELECT ${COLUMNS} FROM commands WHERE status = 'pending' AND deadline <= now() ORDER BY deadline LIMIT $1`,
    [limit],
  );
  return rows;
}

export interface CommandFilter {
  status?: CommandStatus;
  /** the object's numbers (its spellings) */
  objectNumbers?: readonly string[];
  /** undefined: every utility; otherwise this utility's commands only */
  utility?: string;
  limit: number;
}

/** Commands newest first. */
export async function listCommands(db: Queryable, f: CommandFilter): Promise<CommandRow[]> {
  const { rows } = await db.query<CommandRow>(
    `SELECT ${COLUMNS} FROM commands
      WHERE ($1::text IS NULL OR status = $1)
        AND ($2::text[] IS NULL OR object_number = ANY($2::text[]))
        AND ($3::text IS NULL OR utility = $3)
      ORDER BY id DESC LIMIT $4`,
    [f.status ?? null, f.objectNumbers ? textArray(f.objectNumbers) : null, f.utility ?? null, f.limit],
  );
  return rows;
}

/** The command as the API answers with it. */
export function commandView(row: CommandRow): Command {
  return {
    id: row.id,
    objectNumber: row.objectNumber,
    devEui: row.devEui,
    action: row.action,
    level: row.level,
    status: row.status,
    requestedBy: row.requestedBy,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
    deadline: row.deadline,
    bytes: row.bytes,
    fPort: row.fPort,
    detail: row.detail,
  };
}
