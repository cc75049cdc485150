import type { Principal, RouteAccess } from '../contract/http-access.ts';

// Routes declare who may call them in `config.access`; the platform's server enforces it and
// puts whoever the request acts for on `request.principal`.
declare module 'fastify' {
  interface FastifyContextConfig {
    access?: RouteAccess;
    /** false on a POST that changes nothing (a query with a body, as locate): no audit row. */
    audit?: false;
  }
  interface FastifyRequest {
    principal?: Principal;
  }
}
