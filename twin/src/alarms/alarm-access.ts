import { ApiError, type Principal, type PrincipalRole } from '@city/ingest';
import type { ApiErrorCode } from '../contract/api-errors.ts';

/** Who works alarms: dispatchers (their own utility's only), operators and admins. */
export const ALARM_ACTORS = ['admin', 'operator', 'dispatcher'] as const satisfies readonly PrincipalRole[];

const forbidden = (message: string) => new ApiError<ApiErrorCode>(403, 'forbidden', message);

/**
 * Refuses (403) a dispatcher an alarm of another utility, or of none; every other role that
 * reached the route may read it, and the route's roles say who may act.
 */
export function checkAlarmUtility(
  principal: Principal | undefined,
  alarm: { id: number; utility: string | null },
): void {
  if (principal?.role !== 'dispatcher') return;
  if (principal.utility !== null && principal.utility === alarm.utility) return;
  throw forbidden(
    `alarm ${alarm.id} belongs to ${alarm.utility ?? 'no utility'}; a dispatcher works only their utility's (${principal.utility ?? 'none'})`,
  );
}

/**
 * The utility a list of alarms is limited to: what was asked for, or for a dispatcher their own
 * (403 when they ask for another's). `none`: a dispatcher of no utility, who has nothing to see.
 */
export function listedUtility(
  principal: Principal | undefined,
  asked: string | undefined,
): string | undefined | 'none' {
  if (principal?.role !== 'dispatcher') return asked;
  if (asked !== undefined && asked !== principal.utility) {
    throw forbidden(`a dispatcher sees only ${principal.utility ?? 'no'} utility's alarms`);
  }
  return principal.utility ?? 'none';
}
