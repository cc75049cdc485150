import type { FastifyInstance } from 'fastify';
import { ApiError } from '../contract/http-errors.ts';

/** The most nested levels of a request's body, query or parameters a guard walks. */
const MAX_DEPTH = 32;

/** The path of the first string holding a NUL character, or undefined. */
function nulAt(value: unknown, path: string, depth = 0): string | undefined {
  if (typeof value === 'string') return value.includes('\u0000') ? path : undefined;
  if (typeof value !== 'object' || value === null || depth > MAX_DEPTH) return undefined;
  for (const [key, item] of Object.entries(value)) {
    const found = key.includes('\u0000') ? path : nulAt(item, `${path}.${key}`, depth + 1);
    if (found) return found;
  }
  return undefined;
}

/**
 * Refuses what no schema keyword can: a NUL character anywhere in a request's parameters,
 * query or body. PostgreSQL cannot store one in text, so it would otherwise reach the database
 * and fail there as a 500.
 */
export function installInputGuards(app: FastifyInstance): void {
  app.addHook('preValidation', async (request) => {
    for (const [part, value] of [
      ['params', request.params],
      ['querystring', request.query],
      ['body', request.body],
    ] as const) {
      const at = nulAt(value, part);
      if (at) throw new ApiError(400, 'bad_request', `${at} contains a NUL character`);
    }
  });
}
