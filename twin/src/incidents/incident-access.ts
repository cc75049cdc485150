import { ApiError, type Principal, type PrincipalRole } from '@city/ingest';
import type { ApiErrorCode } from '../contract/api-errors.ts';

/** Who works incidents: dispatchers (their own utility's only), operators and admins. */
export const INCIDENT_ACTORS = ['admin', 'operator', 'dispatcher'] as const satisfies readonly PrincipalRole[];

/** Roles that see residents' contacts: those who may call them back. Viewers and wall screens do not. */
export function seesContacts(principal: Principal | undefined): boolean {
  return principal !== undefined && (INCIDENT_ACTORS as readonly string[]).includes(principal.role);
}

/**
 * Refuses (403) a dispatcher an incident of another utility, or of none; every other role that
 * reached the route may read it, and the route's roles say who may act.
 */
export function checkUtility(principal: Principal | undefined, incident: { id: number; utility: string | null }): void {
  if (principal?.role !== 'dispatcher') return;
  if (principal.utility !== null && principal.utility === incident.utility) return;
  throw new ApiError<ApiErrorCode>(
    403,
    'forbidden',
    `incident ${incident.id} belongs to ${incident.utility ?? 'no utility'}; a dispatcher works only their utility's (${principal.utility ?? 'none'})`,
  );
}
