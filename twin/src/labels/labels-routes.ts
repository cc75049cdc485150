import { Readable } from 'node:stream';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { ACCESS, ApiError, type Db, ErrorBody } from '@city/ingest';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { ApiErrorCode } from '../contract/api-errors.ts';
import { LABEL_LIMITS, LabelsQuery } from '../contract/labels.ts';
import type { ObjectIndex } from '../objects/object-index.ts';
import { listObjectTypes } from '../objects/object-types-table.ts';
import { labelDocument } from './label-document.ts';
import { selectForLabels } from './label-selection.ts';
import { LABEL_STOCK, LABELS_PER_PAGE, type LabelContent, labelSheet, pageCount } from './label-sheet.ts';

export interface LabelsRoutesOptions {
  db: Db;
  objects: Pick<ObjectIndex, 'list'>;
  /** PUBLIC_URL: the QR codes open `{publicUrl}/r/{number}`. */
  publicUrl: string;
}

/**
 * `GET /objects/labels`: sheets of QR labels to print and stick on objects, for a district, a
 * type, a street or a mix. Staff only (any role): it is the registry's numbers and addresses in
 * bulk. Each label's QR code opens the object's resident page.
 */
export const labelsRoutes: FastifyPluginAsyncTypebox<LabelsRoutesOptions> = async (app, opts) => {
  const { db, objects, publicUrl } = opts;

  app.get(
    '/objects/labels',
    {
      config: { access: ACCESS.read },
      schema: {
        tags: ['objects'],
        summary: 'Printable sheets of QR labels (number, type, address) for the objects of a district, type or street',
        description:
          `Sheets are ${LABEL_STOCK.name}. \`html\` gives every sheet in one document to print (one page each); ` +
          '`svg` gives one sheet. Each QR code opens the resident page `{PUBLIC_URL}/r/{number}`. Objects are in ' +
          `number order; at most ${LABEL_LIMITS.labels} a request (400 beyond it: narrow the selection). ` +
          'The `x-label-count` and `x-label-pages` headers say how many labels and sheets the selection makes.',
        querystring: LabelsQuery,
        response: {
          200: {
            description: 'text/html (streamed) or image/svg+xml',
            content: { 'text/html': { schema: {} }, 'image/svg+xml': { schema: {} } },
          },
          400: ErrorBody,
          404: ErrorBody,
        },
      },
    },
    async (request, reply) => {
      const { district, type, street, format, page, lang } = request.query;
      const selected = selectForLabels(objects, { district, type, street: street?.trim() }, LABEL_LIMITS.labels);
      if ('tooMany' in selected) {
        throw new ApiError<ApiErrorCode>(
          400,
          'bad_request',
          `more than ${LABEL_LIMITS.labels} objects match; narrow the selection by district, type or street`,
        );
      }
      if (selected.objects.length === 0) throw new ApiError<ApiErrorCode>(404, 'not_found', 'no object matches');
      const pages = pageCount(selected.objects.length);
      if (page !== undefined && page > pages) {
        throw new ApiError<ApiErrorCode>(400, 'bad_request', `page ${page} is past the last sheet (${pages})`);
      }

      const types = new Map((await listObjectTypes(db)).map((t) => [t.id, lang === 'en' ? t.labelEn : t.labelUk]));
      const labels: LabelContent[] = selected.objects.map((o) => ({
        number: o.number,
        typeLabel: types.get(o.type) ?? o.type,
        address: o.address,
      }));
      const sheet = (n: number) =>
        labelSheet(labels.slice((n - 1) * LABELS_PER_PAGE, n * LABELS_PER_PAGE), { publicUrl, page: n, pages });
      const name = ['labels', district, type].filter(Boolean).join('-');
      reply.header('x-label-count', String(labels.length)).header('x-label-pages', String(pages));

      if (format === 'svg') {
        const n = page ?? 1;
        return reply
          .type('image/svg+xml; charset=utf-8')
          .header('content-disposition', `inline; filename="${name}-${n}.svg"`)
          .send(sheet(n));
      }
      const wanted = page === undefined ? Array.from({ length: pages }, (_, i) => i + 1) : [page];
      // A sheet's 24 QR codes take ~10 ms to compute: one sheet a turn of the event loop, so
      // 84 sheets do not hold up other requests for a second.
      async function* sheets() {
        for (const n of wanted) {
          yield sheet(n);
          await nextTurn();
        }
      }
      const where = [district && `district ${district}`, type, street && `“${street.trim()}”`].filter(Boolean);
      const title = `QR labels${where.length > 0 ? `: ${where.join(', ')}` : ''}`;
      return reply
        .type('text/html; charset=utf-8')
        .header('content-disposition', `inline; filename="${name}.html"`)
        .send(Readable.from(labelDocument(sheets(), { title, labels: labels.length })));
    },
  );
};
