import { ApiError } from '@city/ingest';
import type { FastifyInstance } from 'fastify';
import { NGSI_LD_ERROR_BASE, NGSI_LD_ERRORS, type NgsiLdErrorType, type ProblemDetails } from '../contract/ngsi-ld.ts';

/** An NGSI-LD error a route throws: its type sets the status and title. */
export class NgsiLdError extends Error {
  constructor(
    readonly errorType: NgsiLdErrorType,
    detail: string,
  ) {
    super(detail);
  }
}

/** The longest piece of a client's own input an error repeats. */
const ECHO_LIMIT = 64;

/** Titles of the refusals that are not NGSI-LD's own (RFC 9457 4.2: about:blank is titled by its status). */
const STATUS_TITLES: Readonly<Record<number, string>> = {
  401: 'Unauthorized',
  403: 'Forbidden',
  405: 'Method Not Allowed',
  413: 'Content Too Large',
  415: 'Unsupported Media Type',
  429: 'Too Many Requests',
};

export function problem(errorType: NgsiLdErrorType, detail: string): ProblemDetails {
  const { status, title } = NGSI_LD_ERRORS[errorType];
  return { type: `${NGSI_LD_ERROR_BASE}${errorType}`, title, status, detail };
}

interface SchemaMismatch {
  keyword: string;
  instancePath: string;
  message?: string;
  params: Record<string, unknown>;
}

function describeMismatch(context = 'request', mismatches: readonly SchemaMismatch[]): string {
  return mismatches
    .map((m) => {
      const where = `${context}${m.instancePath.replaceAll('/', '.')}`;
      if (m.keyword === 'additionalProperties') {
        return `${where} has an unknown parameter "${String(m.params.additionalProperty).slice(0, ECHO_LIMIT)}"`;
      }
      return `${where} ${m.message ?? 'does not match the schema'}`;
    })
    .join('; ');
}

/**
 * NGSI-LD's error format in this scope (6.3.2): problem details, as application/json. A bad
 * parameter is BadRequestData, an unknown path ResourceNotFound, anything unexpected a logged
 * InternalError that says nothing more; sign-in, role and rate refusals keep their status as
 * about:blank problems, with the platform's error code (`unauthorized`...) as `error`.
 */
export function installProblemDetails(app: FastifyInstance): void {
  app.setErrorHandler((err, request, reply) => {
    const send = (body: ProblemDetails) => reply.status(body.status).type('application/json').send(body);
    if (err instanceof NgsiLdError) return send(problem(err.errorType, err.message));
    const e = err as {
      validation?: SchemaMismatch[];
      validationContext?: string;
      statusCode?: number;
      message: string;
    };
    if (e.validation) return send(problem('BadRequestData', describeMismatch(e.validationContext, e.validation)));
    const status = err instanceof ApiError ? err.statusCode : e.statusCode;
    if (status !== undefined && status >= 400 && status < 500) {
      if (status === 400) return send(problem('BadRequestData', e.message));
      if (status === 404) return send(problem('ResourceNotFound', e.message));
      const code = err instanceof ApiError ? err.code : status === 429 ? 'rate_limited' : undefined;
      return send({
        type: 'about:blank',
        title: STATUS_TITLES[status] ?? 'Client Error',
        status,
        detail: e.message,
        ...(code ? { error: code } : {}),
      });
    }
    request.log.error({ err }, 'request failed');
    return send(problem('InternalError', 'internal server error'));
  });
  app.setNotFoundHandler((request, reply) =>
    reply
      .status(404)
      .type('application/json')
      .send(
        problem(
          'ResourceNotFound',
          `no NGSI-LD resource ${request.method} ${request.url.slice(0, 200)}; this API serves GET /entities and /entities/{id}`,
        ),
      ),
  );
}
