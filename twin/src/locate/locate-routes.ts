import { ACCESS, ApiError, ErrorBody } from '@city/ingest';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { ApiErrorCode } from '../contract/api-errors.ts';
import { LocateRequest, LocateResult } from '../contract/locate.ts';
import { locate, type ObjectPositions } from './locate.ts';

/**
 * `POST /locate`: where a caller stands, from the numbers they read out. Public - the resident
 * page and the dispatcher desk both ask - and rate-limited on its own (`RateLimits.locate`):
 * it answers where objects are, so it should not serve as a way to walk the registry.
 */
export const locateRoutes: FastifyPluginAsyncTypebox<{ objects: ObjectPositions }> = async (app, { objects }) => {
  app.post(
    '/locate',
    {
      // Locating changes nothing: a public query that would write an audit row per call.
      config: { access: ACCESS.public, audit: false },
      schema: {
        tags: ['objects'],
        summary: 'Where a caller stands, from the numbers of the objects they can see',
        description:
          'One number: the object, accurate to the 30 m a number is read from. Several: their centroid, an object ' +
          'implausibly far from the rest left out (`ignored`, `outlier`); the accuracy is their spread, at least 30 m. ' +
          'Unknown numbers are reported, not fatal; 404 when none is known.',
        body: LocateRequest,
        response: { 200: LocateResult, 400: ErrorBody, 404: ErrorBody, 429: ErrorBody },
      },
    },
    async (request) => {
      const { estimate, used, ignored } = locate(request.body.numbers, objects);
      if (!estimate) {
        throw new ApiError<ApiErrorCode>(
          404,
          'unknown_object',
          `no object has any of these numbers: ${ignored.map((i) => i.number).join(', ')}`,
        );
      }
      return { ...estimate, used, ignored };
    },
  );
};
