import { hash, verify } from '@node-rs/argon2';

/** argon2id with the library's defaults (19 MiB, 2 passes): OWASP's recommended minimum. */
export function hashPassword(password: string): Promise<string> {
  return hash(password);
}

// Compared against when the username is unknown, so a wrong username costs as long as a wrong
// password and the answer's timing does not tell which accounts exist.
const NOBODY = hash('no such account');

export async function passwordMatches(passwordHash: string | undefined, password: string): Promise<boolean> {
  return verify(passwordHash ?? (await NOBODY), password).catch(() => false);
}

/**
 * Passwords anyone can look up: the demo's documented ones and the usual placeholders. The demo
 * signs its accounts in with them; nowhere else may an account have one.
 */
export const DEMO_PASSWORDS = {
  admin: 'city-demo-admin',
  operator: 'city-demo-operator',
  dispatcher: 'city-demo-dispatcher',
} as const;

const WELL_KNOWN = new Set<string>([
  ...Object.values(DEMO_PASSWORDS),
  'admin',
  'password',
  'changeme',
  'change_me',
  'secret',
  '123456789012',
]);

/** Why a password may not be set outside the demo, or undefined when it may. */
export function passwordProblem(password: string): string | undefined {
  if (password.length < 12) return 'a password needs at least 12 characters';
  if (WELL_KNOWN.has(password.toLowerCase())) return 'this password is published (a demo or placeholder password)';
  return undefined;
}
