import { ConfigError, type Queryable, type StaffRole } from '@city/ingest';
import { hashPassword, passwordProblem } from './passwords.ts';
import { findStaffUser, insertStaffUser } from './staff-users-table.ts';

export interface AccountSpec {
  username: string;
  password: string;
  role: StaffRole;
  utility?: string | null;
}

/**
 * Creates an account unless it exists (an existing one is left as it is: its password may have
 * been changed since). Outside the demo a published or short password is refused, with a
 * message that says so at startup.
 */
export async function ensureAccount(db: Queryable, spec: AccountSpec, opts: { demo: boolean }): Promise<boolean> {
  if (!opts.demo) {
    const problem = passwordProblem(spec.password);
    if (problem) throw new ConfigError(`the password for account "${spec.username}" is refused: ${problem}`);
  }
  if (await findStaffUser(db, spec.username)) return false;
  await insertStaffUser(db, {
    username: spec.username,
    passwordHash: await hashPassword(spec.password),
    role: spec.role,
    utility: spec.utility ?? null,
  });
  return true;
}
