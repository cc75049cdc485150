import { Type } from 'typebox';

/**
 * The HTTP API's error codes, a closed list: every 4xx/5xx body is `{error: <code>, message}`.
 * These are the platform's base codes and ingest's own; the twin's contract adds its codes to
 * them. README "HTTP API" documents the whole list (a test keeps them in step).
 */
export const API_ERRORS = {
  bad_request: 'The request does not match the endpoint schema',
  not_found: 'No such resource',
  unknown_model: 'No codec implements the named device model',
  decode_failed: 'The codec rejected the payload',
  no_downlink: 'The device cannot take this command (its model encodes no such downlink, or it lacks an application)',
  rate_limited: 'Too many requests from this client; retry later',
  unavailable: 'A component the request needs (database, broker) is down',
  internal: 'An unexpected server error (logged)',
} as const;

export type ApiErrorCode = keyof typeof API_ERRORS;

/**
 * An error answered as `{error: code, message, ...extra}` with its HTTP status: route handlers
 * throw it, the server's error handler writes it, and a client can rebuild it from a response.
 */
export class ApiError<Code extends string = ApiErrorCode> extends Error {
  constructor(
    readonly statusCode: number,
    readonly code: Code,
    message: string,
    readonly extra: Record<string, unknown> = {},
  ) {
    super(message);
  }
}

/** The body of every error response. */
export const ErrorBody = Type.Object({ error: Type.String(), message: Type.String() });
