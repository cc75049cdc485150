/**
 * Who may call what (API.md "Staff access"). Staff sign in with a role; integrations and wall
 * screens use API keys, which carry a role too (`kiosk`: a wall screen that only reads).
 */
export const STAFF_ROLES = ['admin', 'operator', 'dispatcher', 'viewer'] as const;
export type StaffRole = (typeof STAFF_ROLES)[number];

export const KEY_ROLES = [...STAFF_ROLES, 'kiosk'] as const;
export type PrincipalRole = (typeof KEY_ROLES)[number];

/** Whoever a request acts for: a signed-in staff member or an API key. */
export interface Principal {
  kind: 'user' | 'key';
  /** The username, or the key's name. */
  name: string;
  role: PrincipalRole;
  /** A dispatcher's utility; null for the other roles. */
  utility: string | null;
}

/**
 * What a route declares in its `config.access`: everyone, or the roles that may call it. Every
 * route declares one (a test fails when one does not), and every state-changing route names
 * roles; the server answers 401 without a valid token and 403 to a role not listed.
 */
export type RouteAccess = 'public' | readonly PrincipalRole[];

/** The usual access levels. */
export const ACCESS = {
  public: 'public',
  /** Reading the city's devices and data: any staff role and wall screens. */
  read: KEY_ROLES,
  /** Changing devices, commanding them, reading ingest's diagnostics. */
  operate: ['admin', 'operator'],
  admin: ['admin'],
} as const satisfies Record<string, RouteAccess>;
