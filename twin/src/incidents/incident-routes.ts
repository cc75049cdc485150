import { ACCESS, ApiError, type Db, ErrorBody } from '@city/ingest';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { ApiErrorCode } from '../contract/api-errors.ts';
import {
  CLOSED_STATUSES,
  Incident,
  IncidentDetail,
  IncidentEvent,
  IncidentParams,
  IncidentPhotoParams,
  IncidentQuery,
  IncidentTransition,
  NewIncidentComment,
} from '../contract/incidents.ts';
import { getReportPhoto } from '../reports/report-photos-table.ts';
import type { LiveHub } from '../stream/live-hub.ts';
import { checkUtility, INCIDENT_ACTORS } from './incident-access.ts';
import { incidentDetail } from './incident-detail.ts';
import { commentOnIncident, transitionIncident } from './incident-lifecycle.ts';
import { getIncident, listIncidents } from './incidents-table.ts';

const notFound = (id: number) => new ApiError<ApiErrorCode>(404, 'not_found', `no incident ${id}`);

/**
 * The dispatcher's side: incidents to read (a dispatcher sees their utility's), their lifecycle
 * and comments. Every change names the incident in the audit log.
 */
export const incidentRoutes: FastifyPluginAsyncTypebox<{ db: Db; hub: LiveHub }> = async (app, { db, hub }) => {
  const act = { access: INCIDENT_ACTORS };

  app.get(
    '/incidents',
    {
      config: { access: ACCESS.read },
      schema: {
        tags: ['incidents'],
        summary: 'Incidents, newest first; a dispatcher gets their own utility’s',
        querystring: IncidentQuery,
        response: { 200: Type.Array(Incident), 403: ErrorBody },
      },
    },
    async (request) => {
      const { principal } = request;
      const q = request.query;
      let utility: string | null | undefined = q.utility;
      if (principal?.role === 'dispatcher') {
        if (q.utility !== undefined && q.utility !== principal.utility) {
          throw new ApiError<ApiErrorCode>(
            403,
            'forbidden',
            `a dispatcher sees only ${principal.utility ?? 'no'} utility's incidents`,
          );
        }
        // A dispatcher of no utility has none to see.
        if (principal.utility === null) return [];
        utility = principal.utility;
      }
      return listIncidents(db, {
        status: q.status,
        open: q.open,
        categories: q.category === undefined ? undefined : [q.category],
        district: q.district,
        utility,
        objectNumber: q.objectNumber,
        limit: q.limit,
        offset: q.offset,
      });
    },
  );

  app.get(
    '/incidents/:id',
    {
      config: { access: ACCESS.read },
      schema: {
        tags: ['incidents'],
        summary: 'One incident with its history (status changes, comments, reports) and its reports',
        params: IncidentParams,
        response: { 200: IncidentDetail, 403: ErrorBody, 404: ErrorBody },
      },
    },
    async (request) => {
      const detail = await incidentDetail(db, request.params.id, request.principal);
      if (!detail) throw notFound(request.params.id);
      checkUtility(request.principal, detail);
      return detail;
    },
  );

  app.post(
    '/incidents/:id/transition',
    {
      config: act,
      schema: {
        tags: ['incidents'],
        summary: `Move an incident on: new -> acknowledged -> assigned -> in_progress -> ${CLOSED_STATUSES.join(' | ')}`,
        params: IncidentParams,
        body: IncidentTransition,
        response: { 200: IncidentDetail, 400: ErrorBody, 403: ErrorBody, 404: ErrorBody, 409: ErrorBody },
      },
    },
    async (request) => {
      const { id } = request.params;
      request.auditTarget = `incident ${id}: ${request.body.to}`;
      await transitionIncident(db, id, request.principal, request.body, hub);
      const detail = await incidentDetail(db, id, request.principal);
      if (!detail) throw notFound(id);
      return detail;
    },
  );

  app.post(
    '/incidents/:id/comments',
    {
      config: act,
      schema: {
        tags: ['incidents'],
        summary: 'Comment on an incident (public: the residents who reported it see it)',
        params: IncidentParams,
        body: NewIncidentComment,
        response: { 201: IncidentEvent, 400: ErrorBody, 403: ErrorBody, 404: ErrorBody },
      },
    },
    async (request, reply) => {
      request.auditTarget = `incident ${request.params.id}: comment`;
      const event = await commentOnIncident(db, request.params.id, request.principal, request.body);
      return reply.status(201).send(event);
    },
  );

  app.get(
    '/incidents/:id/reports/:reportId/photo',
    {
      config: { access: ACCESS.read },
      schema: {
        tags: ['incidents'],
        summary: "A report's photo (image/jpeg, image/png or image/webp)",
        params: IncidentPhotoParams,
        response: {
          200: Type.Unsafe<Buffer>({ type: 'string', format: 'binary', description: 'the image as sent' }),
          403: ErrorBody,
          404: ErrorBody,
        },
      },
    },
    async (request, reply) => {
      const { id, reportId } = request.params;
      const incident = await getIncident(db, id);
      if (!incident) throw notFound(id);
      checkUtility(request.principal, incident);
      const photo = await getReportPhoto(db, id, reportId);
      if (!photo)
        throw new ApiError<ApiErrorCode>(404, 'not_found', `report ${reportId} of incident ${id} has no photo`);
      return reply
        .header('cache-control', 'private, max-age=3600')
        .header('content-disposition', 'inline')
        .type(photo.contentType)
        .send(Buffer.from(photo.data));
    },
  );
};
