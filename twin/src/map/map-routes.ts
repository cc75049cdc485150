import type { Queryable } from '@city/ingest';
import { ACCESS, ErrorBody } from '@city/ingest';
import compress from '@fastify/compress';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { MapBase, MapObjects, MapState } from '../contract/map.ts';
import type { LiveState } from '../live/live-state.ts';
import { BaseMapCache } from './map-base.ts';
import { MapColumns, type MapObjectSource } from './map-columns.ts';
import { MapStates } from './map-state.ts';

export interface MapRoutesOptions {
  db: Queryable;
  objects: MapObjectSource;
  live: LiveState;
}

const NotModified = Type.Null({ description: 'unchanged since the ETag given in If-None-Match' });

/**
 * What the dashboard's map draws: `/map/base` (public: residents' small maps use it too),
 * `/map/objects` and `/map/state` (staff and wall screens). Answers are built from memory and
 * serialised once per change; ETags let a screen that has them skip the body (304), and the
 * answers are gzipped here only (this plugin's scope): the objects' columns shrink ~5x.
 */
export const mapRoutes: FastifyPluginAsyncTypebox<MapRoutesOptions> = async (app, opts) => {
  await app.register(compress, { global: true, encodings: ['gzip'], threshold: 1024 });
  const base = new BaseMapCache(opts.db);
  const columns = new MapColumns(opts.objects);
  const states = new MapStates(opts.live, columns);

  app.get(
    '/map/base',
    {
      config: { access: ACCESS.public },
      schema: {
        tags: ['map'],
        summary: "The base map: the districts' boundaries and the streets, GeoJSON (ETag; cache for 5 minutes)",
        response: { 200: MapBase, 304: NotModified },
      },
    },
    async (request, reply) => {
      const answer = await base.current();
      return sendCached(request, reply, answer.json, answer.etag, 'public, max-age=300');
    },
  );

  app.get(
    '/map/objects',
    {
      config: { access: ACCESS.read },
      schema: {
        tags: ['map'],
        summary:
          'Every object in columns (number, type, position, district) for the map; `version` changes when any object does (ETag)',
        response: { 200: MapObjects, 304: NotModified, 401: ErrorBody, 403: ErrorBody },
      },
    },
    async (request, reply) => {
      const snapshot = columns.current();
      return sendCached(request, reply, snapshot.json, snapshot.etag, 'private, no-cache');
    },
  );

  app.get(
    '/map/state',
    {
      config: { access: ACCESS.read },
      schema: {
        tags: ['map'],
        summary:
          "The objects' live state for the map's colours (health, bin fill, lamp), sparse, indexed into /map/objects of `objectsVersion`",
        response: { 200: MapState, 401: ErrorBody, 403: ErrorBody },
      },
    },
    async (_request, reply) => {
      reply.header('cache-control', 'no-store');
      return states.current();
    },
  );
};

/** A pre-serialised JSON answer with its ETag, or 304 when the client has it already. */
function sendCached(request: FastifyRequest, reply: FastifyReply, json: string, etag: string, cacheControl: string) {
  reply.header('etag', etag).header('cache-control', cacheControl);
  if (etagMatches(request.headers['if-none-match'], etag)) return reply.code(304).send();
  return reply.type('application/json; charset=utf-8').send(json);
}

/** If-None-Match holds our ETag (a list, weak or not, or `*`). */
export function etagMatches(header: string | undefined, etag: string): boolean {
  if (!header || header.length > 4096) return false;
  return header
    .split(',')
    .map((t) => t.trim().replace(/^W\//, ''))
    .some((t) => t === etag || t === '*');
}
