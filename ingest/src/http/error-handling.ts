import type { FastifyInstance } from 'fastify';
import { ApiError } from '../contract/http-errors.ts';

/**
 * Every error answers `{error: <code>, message}`: an `ApiError` as thrown, a schema mismatch as
 * `bad_request`, anything unexpected as a logged `internal` 500 that tells the client nothing more.
 */
export function installErrorHandling(app: FastifyInstance): void {
  app.setErrorHandler((err, request, reply) => {
    if (err instanceof ApiError) {
      return reply.status(err.statusCode).send({ error: err.code, message: err.message, ...err.extra });
    }
    const e = err as {
      validation?: SchemaMismatch[];
      validationContext?: string;
      statusCode?: number;
      message: string;
    };
    if (e.validation) {
      return reply
        .status(400)
        .send({ error: 'bad_request', message: describeMismatch(e.validationContext, e.validation) });
    }
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

interface SchemaMismatch {
  keyword: string;
  instancePath: string;
  message?: string;
  params: Record<string, unknown>;
}

/** Longest piece of the client's own input a message repeats (a property's name). */
const ECHO_LIMIT = 64;

/**
 * What did not match, for the client: `body.settings must be object`, or for a property the
 * schema does not know, its name - which is all of the input a 400 repeats, cut short.
 */
function describeMismatch(context = 'request', mismatches: SchemaMismatch[]): string {
  return mismatches
    .map((m) => {
      const where = `${context}${m.instancePath.replaceAll('/', '.')}`;
      const unknown = m.keyword === 'additionalProperties' ? String(m.params.additionalProperty) : undefined;
      if (unknown !== undefined) return `${where} has an unknown property "${unknown.slice(0, ECHO_LIMIT)}"`;
      return `${where} ${m.message ?? 'does not match the schema'}`;
    })
    .join('; ');
}
