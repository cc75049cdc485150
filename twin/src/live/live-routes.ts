import { ACCESS, ApiError, ErrorBody } from '@city/ingest';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { ApiErrorCode } from '../contract/api-errors.ts';
import { DistrictAggregates, ObjectLiveState } from '../contract/live.ts';
import { ObjectNumberParams } from '../contract/objects.ts';
import type { ObjectLookup } from '../objects/object-record.ts';
import type { LiveTwin } from './live-twin.ts';

/** The live state of one object, and the districts' aggregates (the wall's KPIs and air map): staff and wall screens. */
export const liveRoutes: FastifyPluginAsyncTypebox<{ live: LiveTwin; objects: ObjectLookup }> = async (app, opts) => {
  const { live, objects } = opts;

  app.get(
    '/objects/:number/live',
    {
      config: { access: ACCESS.read },
      schema: {
        tags: ['live state'],
        summary: "An object's newest value of each metric, its last-seen and health; null before its first reading",
        params: ObjectNumberParams,
        response: { 200: Type.Union([ObjectLiveState, Type.Null()]), 404: ErrorBody },
      },
    },
    async (request) => {
      const state = live.objectState(request.params.number);
      if (state) return state;
      if (objects.get(request.params.number)) return null;
      throw new ApiError<ApiErrorCode>(404, 'unknown_object', `no object has the number ${request.params.number}`);
    },
  );

  app.get(
    '/districts/aggregates',
    {
      config: { access: ACCESS.read },
      schema: {
        tags: ['live state'],
        summary:
          'Per district: the European Air Quality Index band from its stations, devices online, bins over 85 %, lamps failed',
        response: { 200: DistrictAggregates },
      },
    },
    async () => live.aggregates(),
  );
};
