import { ApiError } from '../shared/api.ts';
import { fill } from '../shared/i18n.ts';
import type { ResidentStrings } from './strings.ts';

/**
 * What a failed request means to a resident, in their language. `notFound` is the page's own
 * text for a 404 (an unknown number is not the same as an unknown tracking code); anything the
 * page cannot explain better falls back to the server's message for a 400, or a general text.
 */
export function errorText(err: unknown, t: ResidentStrings, notFound?: string): string {
  if (!(err instanceof ApiError)) return t.errServer;
  if (err.status === 0) return t.errNetwork;
  if (err.status === 404 && notFound) return notFound;
  if (err.status === 429) return t.errRateLimited;
  if (err.status === 413) return t.errTooLarge;
  if (err.status >= 400 && err.status < 500) return fill(t.errBadRequest, { detail: err.message.slice(0, 300) });
  return t.errServer;
}
