import type { FastifyInstance } from 'fastify';

/**
 * The API's error codes, a closed list: every 4xx/5xx body is `{error: <code>, message}`.
 * README "HTTP errors" documents the same list (a test keeps them in step).
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

export class ApiError extends Error {
  constructor(
    readonly statusCode: number,
    readonly code: ApiErrorCode,
    message: string,
    readonly extra: Record<string, unknown> = {},
  ) {
    super(message);
  }
}

export function installErrorHandling(app: FastifyInstance): void {
  app.setErrorHandler((err, request, reply) => {
    if (err instanceof ApiError) {
      return reply.status(err.statusCode).send({ error: err.code, message: err.message, ...err.extra });
    }
    const e = err as { validation?: unknown; statusCode?: number; message: string };
    if (e.validation) return reply.status(400).send({ error: 'bad_request', message: e.message });
    if (e.statusCode === 429) return reply.status(429).send({ error: 'rate_limited', message: e.message });
    if (e.statusCode && e.statusCode >= 400 && e.statusCode < 500) {
      return reply.status(e.statusCode).send({ error: 'bad_request', message: e.message });
    }
    request.log.error({ err }, 'request failed');
    return reply.status(500).send({ error: 'internal', message: 'internal server error' });
  });
  app.setNotFoundHandler((request, reply) =>
    reply.status(404).send({ error: 'not_found', message: `no route ${request.method} ${request.url}` }),
  );
}

export const errorSchema = {
  type: 'object',
  required: ['error', 'message'],
  properties: { error: { type: 'string', enum: Object.keys(API_ERRORS) }, message: { type: 'string' } },
} as const;
