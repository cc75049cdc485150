/** Requests per minute per client address, by route family: each family counts on its own. */
export interface RateLimits {
  /** Everything under /api/v1 not named below. */
  api: number;
  /** Sign-in attempts: enough for people, slow for guessing passwords. */
  signIn: number;
  /** Commands to devices: a light switched on and off in a loop is an attack, not a use. */
  commands: number;
  /** Locating a caller (public): a dispatcher or a resident asks a few times a call, a scraper thousands. */
  locate: number;
  /** Residents' reports filed (POST /api/v1/reports; Open311's POST requests.json counts apart): a few a day from one resident. */
  reports: number;
}

export const DEFAULT_RATE_LIMITS: RateLimits = { api: 600, signIn: 10, commands: 60, locate: 60, reports: 20 };

/** The family a route belongs to, by its pattern. */
export function rateFamily(routeUrl: string | undefined): keyof RateLimits {
  if (routeUrl === '/api/v1/auth/login') return 'signIn';
  if (routeUrl?.endsWith('/downlink')) return 'commands';
  // Streetlight commands; the list (GET /api/v1/commands) shares the budget, as routes are told apart by pattern alone.
  if (routeUrl === '/api/v1/objects/:number/command' || routeUrl === '/api/v1/commands') return 'commands';
  if (routeUrl === '/api/v1/locate') return 'locate';
  if (routeUrl === '/api/v1/reports') return 'reports';
  return 'api';
}
