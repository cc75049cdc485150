import { existsSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { ACCESS } from '@city/ingest';
import compress from '@fastify/compress';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { ObjectNumberInput } from '../contract/reports.ts';
import { BASEMAP_FILE_URL } from './ui-config-route.ts';

export interface DashboardPagesOptions {
  /** The dashboard's built files (`vite build` output: the pages and `assets/`); missing: the pages answer 503. */
  dir: string;
  /** A PMTiles base map to serve at BASEMAP_FILE_URL (read in ranges, as the pmtiles protocol asks). */
  basemapFile?: string | undefined;
}

/** The pages (API.md "Pages") and the file each is. */
const PAGES = [
  { url: '/', file: 'index.html', summary: 'The wall: the situation center on a map (kiosk)' },
  { url: '/desk', file: 'desk.html', summary: "The dispatcher's desk" },
  { url: '/r', file: 'r.html', summary: 'The resident page: report a problem by the number on an object' },
] as const;

const HTML = { 200: { description: 'the page', content: { 'text/html': { schema: { type: 'string' } } } } };

/**
 * The dashboard on the platform's own port: its pages and their hashed assets (cached for a year:
 * the names change with the content). The server serves files only; it imports nothing of the
 * dashboard. What the pages start from is `/api/v1/ui-config` (ui-config-route.ts).
 */
export async function dashboardPages(app: FastifyInstance, opts: DashboardPagesOptions): Promise<void> {
  const built = existsSync(join(opts.dir, 'index.html'));
  if (!built) app.log.warn(`no dashboard in ${opts.dir}: build it with \`pnpm --filter @city/dashboard build\``);
  // Only `sendFile`: the routes below are the server's own, declared and documented like every other.
  await app.register(fastifyStatic, { root: opts.dir, serve: false });
  // Gzip in this plugin's routes only: the scripts shrink to a third, which a phone on a mobile connection feels.
  await app.register(compress, { global: true, encodings: ['gzip'], threshold: 1024 });

  const page = (file: string) => (_request: unknown, reply: FastifyReply) => {
    if (!built) return notBuilt(reply);
    // Pages are small and name the current assets: always asked again.
    return reply.header('cache-control', 'no-cache').sendFile(file, { cacheControl: false });
  };
  for (const { url, file, summary } of PAGES) {
    app.get(
      url,
      { config: { access: ACCESS.public }, schema: { tags: ['pages'], summary, response: HTML } },
      page(file),
    );
  }
  app.get(
    '/r/:number',
    {
      config: { access: ACCESS.public },
      schema: {
        tags: ['pages'],
        summary: "The resident page for one object: what the object's QR label opens",
        params: { type: 'object', properties: { number: ObjectNumberInput }, required: ['number'] },
        response: HTML,
      },
    },
    page('r.html'),
  );
  app.get(
    '/assets/*',
    {
      config: { access: ACCESS.public },
      schema: {
        tags: ['pages'],
        summary: "The pages' scripts, styles and images",
        response: { 200: { description: 'the file', content: { 'application/octet-stream': { schema: {} } } } },
      },
    },
    (request, reply) => {
      if (!built) return notBuilt(reply);
      const file = (request.params as { '*': string })['*'];
      // `send` refuses paths that climb out of the root; the names are the build's own.
      return reply.sendFile(`assets/${file}`, { immutable: true, maxAge: '365d' });
    },
  );
  const { basemapFile } = opts;
  if (basemapFile) {
    app.get(
      BASEMAP_FILE_URL,
      {
        config: { access: ACCESS.public },
        schema: {
          tags: ['pages'],
          summary: "The city's PMTiles base map (BASEMAP_FILE), read in HTTP ranges",
          response: { 200: { description: 'the file', content: { 'application/octet-stream': { schema: {} } } } },
        },
      },
      (_request, reply) => reply.sendFile(basename(basemapFile), dirname(basemapFile), { maxAge: '1d' }),
    );
  }
}

function notBuilt(reply: FastifyReply) {
  return reply
    .code(503)
    .send({ error: 'unavailable', message: 'the dashboard is not built: run `pnpm --filter @city/dashboard build`' });
}

/**
 * The Content-Security-Policy of every answer (helmet's defaults, which the pages need widened a
 * little): MapLibre starts its workers from `blob:` URLs and draws images from `blob:` and `data:`;
 * a base map from another server (BASEMAP_URL) may be fetched from its origin. Requests are not
 * upgraded to https: a city may run the platform on plain http inside its own network.
 */
export function contentSecurityPolicy(basemapUrl: string | undefined) {
  const origin = basemapUrl && /^https?:\/\//.test(basemapUrl) ? [new URL(basemapUrl).origin] : [];
  return {
    directives: {
      'img-src': ["'self'", 'data:', 'blob:', ...origin],
      'worker-src': ["'self'", 'blob:'],
      'child-src': ["'self'", 'blob:'],
      'connect-src': ["'self'", ...origin],
      'upgrade-insecure-requests': null,
    },
  };
}
