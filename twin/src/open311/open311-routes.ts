import { ACCESS, ApiError, type Db } from '@city/ingest';
import rateLimit from '@fastify/rate-limit';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import {
  OBJECT_NUMBER_ATTRIBUTE,
  Open311Errors,
  Open311JurisdictionQuery,
  Open311NewRequest,
  Open311Request,
  Open311RequestCreated,
  Open311RequestParams,
  Open311RequestsQuery,
  Open311Service,
  Open311ServiceDefinition,
  Open311ServiceParams,
  Open311TokenParams,
  Open311TokenResult,
} from '../contract/open311.ts';
import type { ObjectLookup } from '../objects/object-record.ts';
import { fileReport } from '../reports/file-report.ts';
import { publicReport } from '../reports/public-report.ts';
import type { ReportCategories } from '../reports/report-categories.ts';
import { reportedObject } from '../reports/report-object.ts';
import type { LiveHub } from '../stream/live-hub.ts';
import { installOpen311Errors } from './open311-errors.ts';
import { foldAttributes, installFormBodies } from './open311-form.ts';
import { open311Requests, preferredLanguage, requestsFilter } from './open311-requests.ts';

export interface Open311Options {
  db: Db;
  objects: ObjectLookup;
  categories: ReportCategories;
  /** The live stream, told of each request filed. */
  hub: LiveHub;
  /** Requests per minute per client address: new service requests (`reports`) and reads (`api`). */
  rateLimits: { api: number; reports: number };
}

const fail = (status: number, message: string) =>
  new ApiError(status, status === 404 ? 'not_found' : 'bad_request', message);
const tags = ['open311'];
const REQUEST_BODY_LIMIT = 64 * 1024;
const errors = { 400: Open311Errors, 404: Open311Errors, 429: Open311Errors };

/**
 * Open311 GeoReport v2 in JSON, registered under /open311/v2: the report categories as services,
 * incidents as service requests, a report's tracking code as its token. A new request with an
 * object number is filed as a resident report, through the same code as POST /api/v1/reports.
 * Public and rate-limited per client; errors are Open311's `[{code, description}]`.
 */
export const open311Routes: FastifyPluginAsyncTypebox<Open311Options> = async (app, opts) => {
  const { db, objects, categories, hub } = opts;
  installOpen311Errors(app);
  installFormBodies(app);
  await app.register(rateLimit, {
    keyGenerator: (request) => `open311 ${request.method === 'POST' ? 'reports' : 'api'} ${request.ip}`,
    max: (request) => (request.method === 'POST' ? opts.rateLimits.reports : opts.rateLimits.api),
    timeWindow: '1 minute',
    errorResponseBuilder: (_request, ctx) => ({
      statusCode: 429,
      message: `rate limit of ${ctx.max} requests per minute exceeded; retry in ${ctx.after}`,
    }),
  });
  const open = { access: ACCESS.public };

  app.get(
    '/services.json',
    {
      config: open,
      schema: {
        tags,
        summary: 'Open311: the report categories as services',
        querystring: Open311JurisdictionQuery,
        response: { 200: Type.Array(Open311Service), ...errors },
      },
    },
    async (request) => {
      const language = preferredLanguage(request.headers['accept-language']);
      return categories.list.map((c) => ({
        service_code: c.id,
        service_name: c[language],
        description: `${c.uk} / ${c.en}: name the object by its number (attribute ${OBJECT_NUMBER_ATTRIBUTE})`,
        metadata: true,
        type: 'realtime' as const,
        keywords: c.id.replaceAll('_', ','),
        group: language === 'en' ? 'City objects' : 'Міські об’єкти',
      }));
    },
  );

  app.get(
    '/services/:service_code.json',
    {
      config: open,
      schema: {
        tags,
        summary: "Open311: a service's definition, with its required object_number attribute",
        params: Open311ServiceParams,
        querystring: Open311JurisdictionQuery,
        response: { 200: Open311ServiceDefinition, ...errors },
      },
    },
    async (request) => {
      const category = categories.get(request.params.service_code);
      if (!category) throw fail(404, `no service ${request.params.service_code}`);
      return {
        service_code: category.id,
        attributes: [
          {
            variable: true,
            code: OBJECT_NUMBER_ATTRIBUTE,
            datatype: 'string' as const,
            required: true,
            datatype_description:
              'the number painted on the object, e.g. ОП-03-00417 (case, dashes, Latin look-alikes do not matter)',
            order: 1,
            description: 'Номер об’єкта / Object number',
          },
        ],
      };
    },
  );

  app.post(
    '/requests.json',
    {
      // A request carries no photo (media_url is a link): a description of 4000 characters and a few fields.
      bodyLimit: REQUEST_BODY_LIMIT,
      config: open,
      // Form fields `attribute[object_number]` become `attribute.object_number` before validation.
      preValidation: async (request) => foldAttributes(request.body),
      schema: {
        tags,
        summary:
          'Open311: report a problem at a numbered object (attribute[object_number]); JSON or form. Answers the incident id and a token (the tracking code).',
        body: Open311NewRequest,
        response: { 201: Open311RequestCreated, ...errors },
      },
    },
    async (request, reply) => {
      const b = request.body;
      const number = b.attribute?.[OBJECT_NUMBER_ATTRIBUTE] ?? b.address_id;
      if (number === undefined) {
        throw fail(400, `attribute[${OBJECT_NUMBER_ATTRIBUTE}] is required: the number painted on the object`);
      }
      const object = reportedObject(objects, { objectNumber: number });
      const name = [b.first_name, b.last_name].filter(Boolean).join(' ');
      const contact = [name, b.email, b.phone].filter(Boolean).join('; ');
      const filed = await fileReport(
        db,
        categories,
        {
          object,
          category: b.service_code,
          description: b.description,
          contact: contact.length > 0 ? contact : undefined,
          source: 'open311',
        },
        hub,
      );
      request.auditTarget = `report ${filed.id} on ${object.number} (incident ${filed.incidentId}) via Open311`;
      return reply.status(201).send([
        {
          service_request_id: String(filed.incidentId),
          token: filed.trackingCode,
          service_notice: filed.openedIncident
            ? 'A new incident was opened.'
            : 'This problem is already reported; your request joined it.',
        },
      ]);
    },
  );

  app.get(
    '/requests.json',
    {
      config: open,
      schema: {
        tags,
        summary:
          'Open311: service requests (incidents), newest first: at most 1000, within 90 days (default: the last 90). No resident text or contact.',
        querystring: Open311RequestsQuery,
        response: { 200: Type.Array(Open311Request), ...errors },
      },
    },
    async (request) => {
      const filter = requestsFilter(request.query);
      if (typeof filter === 'string') throw fail(400, filter);
      return open311Requests(db, categories, filter, preferredLanguage(request.headers['accept-language']));
    },
  );

  app.get(
    '/requests/:id.json',
    {
      config: open,
      schema: {
        tags,
        summary: 'Open311: one service request (incident)',
        params: Open311RequestParams,
        querystring: Open311JurisdictionQuery,
        response: { 200: Type.Array(Open311Request), ...errors },
      },
    },
    async (request) => {
      const found = await open311Requests(
        db,
        categories,
        { ids: [Number(request.params.id)], limit: 1, offset: 0 },
        preferredLanguage(request.headers['accept-language']),
      );
      if (found.length === 0) throw fail(404, `no service request ${request.params.id}`);
      return found;
    },
  );

  app.get(
    '/tokens/:token.json',
    {
      config: open,
      schema: {
        tags,
        summary: "Open311: the service request (incident) of a token (a report's tracking code)",
        params: Open311TokenParams,
        querystring: Open311JurisdictionQuery,
        response: { 200: Open311TokenResult, ...errors },
      },
    },
    async (request) => {
      const report = await publicReport(db, request.params.token);
      if (!report) throw fail(404, 'no request has this token');
      return [{ service_request_id: String(report.incidentId), token: report.trackingCode }];
    },
  );
};
