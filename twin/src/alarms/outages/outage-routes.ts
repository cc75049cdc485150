import { ACCESS, ApiError, type Db, ErrorBody, type Principal } from '@city/ingest';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { Outage, OutageParams, OutageQuery } from '../../contract/alarms.ts';
import type { ApiErrorCode } from '../../contract/api-errors.ts';
import type { AlarmFamilies } from './alarm-families.ts';
import { getOutage, listOutages } from './outages-table.ts';

/**
 * District outages to read: the list (newest first) and one with the objects of its alarms. An
 * outage belongs to its family's utility: a dispatcher sees their utility's only.
 */
export const outageRoutes: FastifyPluginAsyncTypebox<{ db: Db; families: AlarmFamilies }> = async (
  app,
  { db, families },
) => {
  /** The kinds a dispatcher may see; undefined: every kind. */
  const visibleKinds = (principal: Principal | undefined): string[] | undefined =>
    principal?.role === 'dispatcher'
      ? families.list.filter((f) => f.utility !== null && f.utility === principal.utility).map((f) => f.kind)
      : undefined;

  app.get(
    '/outages',
    {
      config: { access: ACCESS.read },
      schema: {
        tags: ['alarms'],
        summary: 'District outages (many alarms of one family in one district), newest first',
        querystring: OutageQuery,
        response: { 200: Type.Array(Outage), 400: ErrorBody },
      },
    },
    async (request) => {
      const { kind, ...q } = request.query;
      const visible = visibleKinds(request.principal);
      const kinds = kind === undefined ? visible : visible === undefined || visible.includes(kind) ? [kind] : [];
      return listOutages(db, { ...q, kinds });
    },
  );

  app.get(
    '/outages/:id',
    {
      config: { access: ACCESS.read },
      schema: {
        tags: ['alarms'],
        summary: 'One district outage with the objects of its alarms',
        params: OutageParams,
        response: { 200: Outage, 403: ErrorBody, 404: ErrorBody },
      },
    },
    async (request) => {
      const { id } = request.params;
      const outage = await getOutage(db, id);
      if (!outage) throw new ApiError<ApiErrorCode>(404, 'not_found', `no outage ${id}`);
      const visible = visibleKinds(request.principal);
      if (visible !== undefined && !visible.includes(outage.kind)) {
        throw new ApiError<ApiErrorCode>(
          403,
          'forbidden',
          `outage ${id} (${outage.kind}) belongs to ${families.get(outage.kind)?.utility ?? 'no utility'}; a dispatcher sees only their utility's`,
        );
      }
      return outage;
    },
  );
};
