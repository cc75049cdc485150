import type { Principal, RouteAccess } from '../contract/http-access.ts';

// Routes declare who may call them in `config.access`; the platform's server enforces it and
// puts whoever the request acts for on `request.principal`.
declare module 'fastify' {
  interface FastifyContextConfig {
    access?: RouteAccess;
  }
  interface FastifyRequest {
    principal?: Principal;
  }
}
