import { ApiError } from '@city/ingest';
import type { FastifyInstance } from 'fastify';
import type { Open311Errors } from '../contract/open311.ts';

/** The longest piece of a client's own input an error repeats (a property's name). */
const ECHO_LIMIT = 64;

interface SchemaMismatch {
  keyword: string;
  instancePath: string;
  message?: string;
  params: Record<string, unknown>;
}

function describeMismatch(context: string | undefined, mismatches: SchemaMismatch[]): string {
  return mismatches
    .map((m) => {
      const where = `${context ?? 'request'}${m.instancePath.replaceAll('/', '.')}`;
      if (m.keyword === 'additionalProperties') {
        return `${where} has an unknown field "${String(m.params.additionalProperty).slice(0, ECHO_LIMIT)}"`;
      }
      return `${where} ${m.message ?? 'does not match the schema'}`;
    })
    .join('; ');
}

export const open311Error = (code: number, description: string): Open311Errors => [{ code, description }];

/**
 * Open311's error format in this scope: `[{code, description}]`, the code being the HTTP status.
 * Bad input is a 4xx that says what is wrong; anything unexpected a logged 500 that says nothing more.
 */
export function installOpen311Errors(app: FastifyInstance): void {
  app.setErrorHandler((err, request, reply) => {
    const e = err as {
      validation?: SchemaMismatch[];
      validationContext?: string;
      statusCode?: number;
      message: string;
    };
    if (err instanceof ApiError) return reply.status(err.statusCode).send(open311Error(err.statusCode, err.message));
    if (e.validation) {
      return reply.status(400).send(open311Error(400, describeMismatch(e.validationContext, e.validation)));
    }
    if (e.statusCode && e.statusCode >= 400 && e.statusCode < 500) {
      return reply.status(e.statusCode).send(open311Error(e.statusCode, e.message));
    }
    request.log.error({ err }, 'request failed');
    return reply.status(500).send(open311Error(500, 'internal server error'));
  });
  app.setNotFoundHandler((request, reply) =>
    reply
      .status(404)
      .send(open311Error(404, `no Open311 resource ${request.method} ${request.url.slice(0, 200)}; JSON only (.json)`)),
  );
}
