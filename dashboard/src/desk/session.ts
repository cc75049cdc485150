import type { StaffRole } from '@city/twin/contract';
import { ApiError, api } from '../shared/api.ts';

/**
 * The desk's sign-in: a staff token kept in sessionStorage (gone with the tab, never in
 * localStorage where another tab or a later user of the machine would find it), who it acts for,
 * and when it expires. What is read back from storage is checked field by field: anything else
 * in it (an old format, a hand edit) counts as signed out.
 */
export interface Session {
  token: string;
  name: string;
  role: StaffRole;
  /** A dispatcher's utility; null for everyone else. */
  utility: string | null;
  /** ISO time after which the server refuses the token. */
  expiresAt: string;
}

const STORAGE_KEY = 'city.desk.session';
const ROLES: readonly StaffRole[] = ['admin', 'operator', 'dispatcher', 'viewer'];
/** Roles that may act on alarms and incidents (the server's ALARM_ACTORS and INCIDENT_ACTORS). */
const ACTORS: readonly StaffRole[] = ['admin', 'operator', 'dispatcher'];

export function canAct(session: Session): boolean {
  return ACTORS.includes(session.role);
}

export function loadSession(now = Date.now()): Session | null {
  let text: string | null = null;
  try {
    text = sessionStorage.getItem(STORAGE_KEY);
  } catch {
    return null;
  }
  if (!text) return null;
  const session = readSession(safeParse(text));
  if (!session || Date.parse(session.expiresAt) <= now) {
    forgetSession();
    return null;
  }
  return session;
}

export function readSession(value: unknown): Session | null {
  if (typeof value !== 'object' || value === null) return null;
  const v = value as Record<string, unknown>;
  if (typeof v.token !== 'string' || v.token.length === 0 || v.token.length > 4096) return null;
  if (typeof v.name !== 'string' || v.name.length > 200) return null;
  if (typeof v.role !== 'string' || !(ROLES as readonly string[]).includes(v.role)) return null;
  if (v.utility !== null && (typeof v.utility !== 'string' || v.utility.length > 64)) return null;
  if (typeof v.expiresAt !== 'string' || Number.isNaN(Date.parse(v.expiresAt))) return null;
  return {
    token: v.token,
    name: v.name,
    role: v.role as StaffRole,
    utility: v.utility as string | null,
    expiresAt: v.expiresAt,
  };
}

function safeParse(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}

export function forgetSession(): void {
  try {
    sessionStorage.removeItem(STORAGE_KEY);
  } catch {
    // Storage refused: nothing was kept either.
  }
}

/** Signs in and asks who the token acts for (the role and, for a dispatcher, the utility). */
export async function signIn(username: string, password: string): Promise<Session> {
  const login = await api<{ token: string; role: StaffRole; expiresAt: string }>('/api/v1/auth/login', {
    body: { username, password },
  });
  const me = await api<{ name: string; role: string; utility: string | null }>('/api/v1/auth/me', {
    token: login.token,
  });
  const session = readSession({ ...me, token: login.token, expiresAt: login.expiresAt });
  if (!session) throw new ApiError(0, 'bad_answer', 'the server answered a sign-in the desk cannot read');
  try {
    sessionStorage.setItem(STORAGE_KEY, JSON.stringify(session));
  } catch {
    // Not kept: the desk works until the tab is reloaded.
  }
  return session;
}

/** Ends the token on the server; the desk forgets it whatever the server answers. */
export async function signOut(session: Session): Promise<void> {
  forgetSession();
  await api<void>('/api/v1/auth/logout', { method: 'POST', token: session.token });
}
