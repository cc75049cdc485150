import { ACCESS } from '@city/ingest';
import rateLimit from '@fastify/rate-limit';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply } from 'fastify';
import { Type } from 'typebox';
import {
  NGSI_LD_COUNT_HEADER,
  NGSI_LD_LIMITS,
  NgsiLdEntitiesQuery,
  NgsiLdEntity,
  NgsiLdEntityParams,
  NgsiLdEntityQuery,
  type NgsiLdMediaType,
  ProblemDetails,
} from '../contract/ngsi-ld.ts';
import type { LiveTwin } from '../live/live-twin.ts';
import { toEntity } from './entity.ts';
import { isUri } from './entity-id.ts';
import { EntityFinder, type EntityObjects, type FoundEntity, liveEntityState } from './entity-query.ts';
import { modelOfType, SMART_DATA_MODELS, type SmartDataModel } from './index.ts';
import { contextLink, negotiate } from './media-type.ts';
import { installProblemDetails, NgsiLdError } from './problem-details.ts';

export interface NgsiLdOptions {
  /** The in-memory object index. */
  objects: EntityObjects;
  live: LiveTwin;
  /** Requests per minute per client address. */
  rateLimit: number;
}

const tags = ['NGSI-LD'];
const errors = {
  400: ProblemDetails,
  401: ProblemDetails,
  403: ProblemDetails,
  404: ProblemDetails,
  406: ProblemDetails,
  429: ProblemDetails,
};
const TYPES = SMART_DATA_MODELS.map((m) => m.type).join(', ');

/** The representation an Accept header asks for, or a 406. */
function mediaTypeOf(accept: string | undefined): NgsiLdMediaType {
  const media = negotiate(accept);
  if (!media) {
    throw new NgsiLdError('NotAcceptable', 'this API answers application/json or application/ld+json');
  }
  return media;
}

function keyValuesIn(options: string | undefined): boolean {
  return options?.split(',').includes('keyValues') ?? false;
}

/**
 * Sends entities of one model: JSON-LD with each entity's @context in the body, or JSON with the
 * model's @context in a Link header (NGSI-LD 6.3.5; the core context is implied).
 */
function send<T>(
  reply: FastifyReply,
  media: NgsiLdMediaType,
  model: SmartDataModel,
  body: (withContext: boolean) => T,
): T {
  reply.type(media);
  if (media === 'application/json') {
    reply.header('link', contextLink(model.context));
    return body(false);
  }
  return body(true);
}

/**
 * The NGSI-LD read API (ETSI GS CIM 009), registered under /ngsi-ld/v1: the city's objects and
 * their live state as FIWARE Smart Data Models entities - WasteContainer, Streetlight,
 * AirQualityObserved, WaterConsumptionObserved. Staff and API keys read it; errors are NGSI-LD's
 * problem details.
 */
export const ngsiLdRoutes: FastifyPluginAsyncTypebox<NgsiLdOptions> = async (app, opts) => {
  installProblemDetails(app);
  await app.register(rateLimit, {
    keyGenerator: (request) => `ngsi-ld ${request.ip}`,
    max: opts.rateLimit,
    timeWindow: '1 minute',
    errorResponseBuilder: (_request, ctx) => ({
      statusCode: 429,
      message: `rate limit of ${ctx.max} requests per minute exceeded; retry in ${ctx.after}`,
    }),
  });
  const finder = new EntityFinder(opts.objects, liveEntityState(opts.live));
  const entityOf = (found: FoundEntity, keyValues: boolean, withContext: boolean) =>
    toEntity(found.model, found.object, found.live, { keyValues, withContext });

  app.get(
    '/entities',
    {
      config: { access: ACCESS.read },
      schema: {
        tags,
        summary: `NGSI-LD query entities: the objects of one type as Smart Data Models entities (${TYPES})`,
        description:
          'Normalized representation (options=keyValues for plain values); `Accept: application/ld+json` puts ' +
          'the @context in each entity, application/json (the default) in a Link header. Paged by limit ' +
          `(default ${NGSI_LD_LIMITS.defaultLimit}, at most ${NGSI_LD_LIMITS.maxLimit}) and offset; ` +
          `count=true adds the number of matching entities in ${NGSI_LD_COUNT_HEADER}.`,
        querystring: NgsiLdEntitiesQuery,
        response: { 200: Type.Array(NgsiLdEntity), ...errors },
      },
    },
    async (request, reply) => {
      const media = mediaTypeOf(request.headers.accept);
      const q = request.query;
      if (q.type === undefined) throw new NgsiLdError('BadRequestData', `name an entity type: type=${TYPES}`);
      const model = modelOfType(q.type);
      if (!model) {
        const detail = q.type.includes(',')
          ? `one entity type per query: ${TYPES}`
          : `unknown entity type "${q.type.slice(0, 64)}": this API serves ${TYPES}`;
        throw new NgsiLdError('BadRequestData', detail);
      }
      if (q.limit === 0 && !q.count) throw new NgsiLdError('BadRequestData', 'limit=0 asks only for count=true');
      const ids = q.id?.split(',').map((id) => id.trim());
      if (ids) {
        if (ids.length > NGSI_LD_LIMITS.ids) {
          throw new NgsiLdError('BadRequestData', `at most ${NGSI_LD_LIMITS.ids} ids per query`);
        }
        const bad = ids.find((id) => !isUri(id));
        if (bad !== undefined) throw new NgsiLdError('BadRequestData', `id "${bad.slice(0, 64)}" is not a URI`);
      }
      const page = finder.query(model, { ids, offset: q.offset, limit: q.limit, count: q.count === true });
      if (page.total !== undefined) reply.header(NGSI_LD_COUNT_HEADER, page.total);
      const keyValues = keyValuesIn(q.options);
      return send(reply, media, model, (withContext) =>
        page.entities.map((found) => entityOf(found, keyValues, withContext)),
      );
    },
  );

  app.get(
    '/entities/:entityId',
    {
      config: { access: ACCESS.read },
      schema: {
        tags,
        summary: 'NGSI-LD retrieve entity: one object as its Smart Data Model entity, by id',
        description:
          'Ids are `urn:ngsi-ld:<Type>:<object number>`, the number percent-encoded (encode the id once more ' +
          'to put it in the path; an id put in the path as written is taken too).',
        params: NgsiLdEntityParams,
        querystring: NgsiLdEntityQuery,
        response: { 200: NgsiLdEntity, ...errors },
      },
    },
    async (request, reply) => {
      const media = mediaTypeOf(request.headers.accept);
      const { entityId } = request.params;
      if (!isUri(entityId)) {
        throw new NgsiLdError('BadRequestData', `entity id "${entityId.slice(0, 64)}" is not a URI`);
      }
      const found = finder.find(entityId);
      if (!found) throw new NgsiLdError('ResourceNotFound', `no entity ${entityId.slice(0, 200)}`);
      const keyValues = keyValuesIn(request.query.options);
      return send(reply, media, found.model, (withContext) => entityOf(found, keyValues, withContext));
    },
  );
};
