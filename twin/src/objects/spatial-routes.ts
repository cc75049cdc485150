import { ACCESS, ApiError, ErrorBody } from '@city/ingest';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { ApiErrorCode } from '../contract/api-errors.ts';
import { ObjectList, ObjectQuery } from '../contract/object-query.ts';
import type { ObjectIndex } from './object-index.ts';
import { planObjectQuery, runObjectQuery } from './spatial-query.ts';

/**
 * `GET /objects`: the registry's spatial queries, answered from the in-memory index. Staff
 * only (any role, wall screens): a list gives owners and attributes, and a thousand objects a
 * request is a map of the city's infrastructure. Residents reach one object through
 * `GET /objects/{number}` and their own position through `POST /locate`.
 */
export const spatialRoutes: FastifyPluginAsyncTypebox<{ objects: ObjectIndex }> = async (app, { objects }) => {
  app.get(
    '/objects',
    {
      config: { access: ACCESS.read },
      schema: {
        tags: ['objects'],
        summary:
          'Objects near a point (`near` + `radius`), the k nearest (`near` + `k`), in a box, a district, of a type',
        querystring: ObjectQuery,
        response: { 200: ObjectList, 400: ErrorBody },
      },
    },
    async (request) => {
      const plan = planObjectQuery(request.query);
      if ('problem' in plan) throw new ApiError<ApiErrorCode>(400, 'bad_request', plan.problem);
      return runObjectQuery(objects, plan);
    },
  );
};
