import { ACCESS, ApiError, type Db, ErrorBody } from '@city/ingest';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { ApiErrorCode } from '../contract/api-errors.ts';
import { MAX_PHOTO_BYTES } from '../contract/input-limits.ts';
import { NewReport, PublicReport, ReportCategory, ReportCreated, TrackingCodeParams } from '../contract/reports.ts';
import type { ObjectLookup } from '../objects/object-record.ts';
import type { LiveHub } from '../stream/live-hub.ts';
import { fileReport } from './file-report.ts';
import { publicReport } from './public-report.ts';
import type { ReportCategories } from './report-categories.ts';
import { reportedObject } from './report-object.ts';
import { decodePhoto } from './report-photo.ts';

export interface ReportRoutesOptions {
  db: Db;
  objects: ObjectLookup;
  categories: ReportCategories;
  /** The live stream, told of each report filed. */
  hub: LiveHub;
}

/** A report with a photo: the photo's base64 (4/3 of its bytes) and room for the rest. */
const REPORT_BODY_LIMIT = Math.ceil((MAX_PHOTO_BYTES * 4) / 3) + 64 * 1024;

/** Residents' side: the categories, filing a report, following it by its tracking code. All public. */
export const reportRoutes: FastifyPluginAsyncTypebox<ReportRoutesOptions> = async (
  app,
  { db, objects, categories, hub },
) => {
  app.get(
    '/report-categories',
    {
      config: { access: ACCESS.public },
      schema: {
        tags: ['reports'],
        summary: 'What residents can report, with labels (uk, en) and each category’s time to resolve',
        response: { 200: Type.Array(ReportCategory) },
      },
    },
    async () => [...categories.list],
  );

  app.post(
    '/reports',
    {
      bodyLimit: REPORT_BODY_LIMIT,
      config: { access: ACCESS.public },
      schema: {
        tags: ['reports'],
        summary:
          'Report a problem at a numbered object (by its number or QR code); answers a tracking code. Rate-limited per client.',
        body: NewReport,
        response: { 201: ReportCreated, 400: ErrorBody, 404: ErrorBody, 413: ErrorBody, 429: ErrorBody },
      },
    },
    async (request, reply) => {
      const { category, description, contact } = request.body;
      const object = reportedObject(objects, request.body);
      const photo = request.body.photo ? decodePhoto(request.body.photo) : undefined;
      if (typeof photo === 'string') throw new ApiError<ApiErrorCode>(400, 'bad_photo', photo);
      const filed = await fileReport(
        db,
        categories,
        { object, category, description, contact, photo, source: 'api' },
        hub,
      );
      request.auditTarget = `report ${filed.id} on ${object.number} (incident ${filed.incidentId})`;
      return reply.status(201).send({ id: filed.id, trackingCode: filed.trackingCode, incidentId: filed.incidentId });
    },
  );

  app.get(
    '/reports/:code',
    {
      config: { access: ACCESS.public },
      schema: {
        tags: ['reports'],
        summary: "A report's public status and history, by its tracking code",
        params: TrackingCodeParams,
        response: { 200: PublicReport, 404: ErrorBody },
      },
    },
    async (request) => {
      const found = await publicReport(db, request.params.code);
      if (!found) throw new ApiError<ApiErrorCode>(404, 'not_found', 'no report has this tracking code');
      return found;
    },
  );
};
