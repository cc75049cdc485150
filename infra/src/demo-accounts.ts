import type { Queryable } from '@city/ingest';
import { type AccountSpec, DEMO_PASSWORDS, ensureAccount } from '@city/twin';

/**
 * The demo's staff (README, Security): the admin from DEMO_ADMIN_USER / DEMO_ADMIN_PASSWORD,
 * an operator, and a dispatcher of the water utility - each with its documented password.
 */
export async function createDemoAccounts(
  db: Queryable,
  config: { demoAdminUser: string; demoAdminPassword: string },
): Promise<void> {
  const accounts: AccountSpec[] = [
    { username: config.demoAdminUser, password: config.demoAdminPassword, role: 'admin' },
    { username: 'operator', password: DEMO_PASSWORDS.operator, role: 'operator' },
    { username: 'dispatcher', password: DEMO_PASSWORDS.dispatcher, role: 'dispatcher', utility: 'vodokanal' },
  ];
  for (const account of accounts) await ensureAccount(db, account, { demo: true });
}
