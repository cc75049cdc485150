import { isoTime, type Queryable, type StaffRole } from '@city/ingest';
import type { StaffUser } from '../contract/staff.ts';

/** A staff account as sign-in needs it: with its password hash. */
export interface StaffCredentials extends StaffUser {
  passwordHash: string;
}

const COLUMNS = `username, role, utility, disabled, ${isoTime('created_at')} AS "createdAt"`;

export async function findStaffUser(db: Queryable, username: string): Promise<StaffCredentials | undefined> {
  const { rows } = await db.query<StaffCredentials>(
    `SELECT ${COLUMNS}, password_hash AS "passwordHash" FROM staff_users WHERE username = $1`,
    [username],
  );
  return rows[0];
}

export async function listStaffUsers(db: Queryable): Promise<StaffUser[]> {
  const { rows } = await db.query<StaffUser>(`SELECT ${COLUMNS} FROM staff_users ORDER BY username`);
  return rows;
}

/** Creates an account; undefined when the username is taken. */
export async function insertStaffUser(
  db: Queryable,
  u: { username: string; passwordHash: string; role: StaffRole; utility: string | null },
): Promise<StaffUser | undefined> {
  const { rows } = await db.query<StaffUser>(
    `INSERT INTO staff_users (username, password_hash, role, utility) VALUES ($1, $2, $3, $4)
     ON CONFLICT (username) DO NOTHING RETURNING ${COLUMNS}`,
    [u.username, u.passwordHash, u.role, u.utility],
  );
  return rows[0];
}

export interface StaffUserChanges {
  passwordHash?: string;
  role?: StaffRole;
  utility?: string | null;
  disabled?: boolean;
}

const CHANGEABLE: Record<keyof StaffUserChanges, string> = {
  passwordHash: 'password_hash',
  role: 'role',
  utility: 'utility',
  disabled: 'disabled',
};

/** Changes an account; undefined when there is no such user. */
export async function updateStaffUser(
  db: Queryable,
  username: string,
  changes: StaffUserChanges,
): Promise<StaffUser | undefined> {
  const sets: string[] = [];
  const values: unknown[] = [username];
  for (const [key, column] of Object.entries(CHANGEABLE) as [keyof StaffUserChanges, string][]) {
    if (changes[key] === undefined) continue;
    values.push(changes[key]);
    sets.push(`${column} = $${values.length}`);
  }
  const { rows } = await db.query<StaffUser>(
    `UPDATE staff_users SET ${[...sets, 'updated_at = now()'].join(', ')} WHERE username = $1 RETURNING ${COLUMNS}`,
    values,
  );
  return rows[0];
}
