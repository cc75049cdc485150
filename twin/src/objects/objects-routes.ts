import { Readable } from 'node:stream';
import { ACCESS, ApiError, type Db, ErrorBody, type Principal } from '@city/ingest';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { ApiErrorCode } from '../contract/api-errors.ts';
import {
  CsvImportBody,
  ExportQuery,
  GeoJsonImportBody,
  IMPORT_LIMITS,
  ImportQuery,
  ImportRefused,
  ImportReport,
  ObjectNumberParams,
  type ObjectPublicView,
  type ObjectStaffExtras,
  type ObjectStaffView,
  ObjectView,
} from '../contract/objects.ts';
import { listDistricts } from './districts-table.ts';
import { exportCsv } from './export/export-csv.ts';
import { exportGeoJson } from './export/export-geojson.ts';
import { importObjects, type ObjectFile } from './import/import-objects.ts';
import type { CityObjectRecord, DistrictRecord, ObjectStore } from './object-record.ts';
import type { RegistryChanges } from './object-sync.ts';
import { loadReferenceData, type ReferenceData, seedReferenceData } from './reference-data.ts';

/**
 * What another part of the twin adds to an object's staff view: the bindings its devices, live
 * state its last values, alarms and incidents their open ones. Given in `enrich`, run in turn
 * for every staff request; never for the public view.
 */
export type ObjectEnricher = (
  object: CityObjectRecord,
  principal: Principal,
) => ObjectStaffExtras | Promise<ObjectStaffExtras>;

export interface ObjectsRoutesOptions {
  db: Db;
  /** The in-memory index: lookups read it, imports update it. */
  objects: ObjectStore;
  enrich?: readonly ObjectEnricher[];
  /** Says when another process or SQL changed districts, object types or utilities (object-sync.ts). */
  registryChanges?: RegistryChanges;
}

const JSON_TYPES = ['application/json', 'application/geo+json'];

/**
 * The registry of numbered objects: one object by number (public, more for staff), import and
 * export of the whole registry as GeoJSON or CSV. Seeds the object types and utilities of
 * reference-data/ when it is registered. (`GET /objects`, the spatial queries, is
 * spatial-routes.ts.)
 */
export const objectsRoutes: FastifyPluginAsyncTypebox<ObjectsRoutesOptions> = async (app, opts) => {
  const { db, objects, enrich = [] } = opts;
  await seedReferenceData(db);
  // Labels and names for the views, reread after each import (an import may bring districts)
  // and when another process or SQL changed them.
  let reference: ReferenceData = await loadReferenceData(db);
  let districts = new Map<string, DistrictRecord>();
  const reload = async () => {
    reference = await loadReferenceData(db);
    districts = new Map((await listDistricts(db)).map((d) => [d.code, d]));
  };
  await reload();
  opts.registryChanges?.onReferenceChange(reload);

  // In this plugin's scope only: CSV as text, and GeoJSON's own media type as JSON.
  app.addContentTypeParser('text/csv', { parseAs: 'string' }, (_request, body, done) => done(null, body));
  app.addContentTypeParser('application/geo+json', { parseAs: 'string' }, app.getDefaultJsonParser('error', 'error'));

  app.post(
    '/objects/import',
    {
      config: { access: ACCESS.operate },
      bodyLimit: IMPORT_LIMITS.bodyBytes,
      schema: {
        tags: ['objects'],
        summary: 'Import objects (and districts) from a GeoJSON FeatureCollection or a CSV file',
        description:
          'Every row is checked; the report lists each rejected one with its reasons (duplicate number, bad ' +
          'coordinates, unknown type, district or utility, an attribute of the wrong kind or out of bounds). ' +
          'Objects are created or updated by number (look-alike spellings are one number). ' +
          `Up to ${IMPORT_LIMITS.rows} rows and ${IMPORT_LIMITS.bodyBytes / 2 ** 20} MB.`,
        querystring: ImportQuery,
        body: {
          content: {
            'application/json': { schema: GeoJsonImportBody },
            'application/geo+json': { schema: GeoJsonImportBody },
            'text/csv': { schema: CsvImportBody },
          },
        },
        response: { 200: ImportReport, 400: ErrorBody, 413: ErrorBody, 415: ErrorBody, 422: ImportRefused },
      },
    },
    async (request) => {
      const mediaType = (request.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
      // Any other type fastify can parse (text/plain) reaches here unchecked by the schema.
      if (!JSON_TYPES.includes(mediaType) && mediaType !== 'text/csv') {
        throw new ApiError<ApiErrorCode>(415, 'bad_request', 'send application/json, application/geo+json or text/csv');
      }
      const file: ObjectFile =
        mediaType === 'text/csv'
          ? { format: 'csv', text: request.body as string }
          : { format: 'geojson', collection: request.body as { features: unknown[] } };
      const { mode, replace } = request.query;
      const report = await importObjects(db, file, { mode, replace, objects });
      request.auditTarget = `${file.format}: ${report.accepted} accepted, ${report.rejectedCount} rejected, ${
        report.written
          ? `${report.created} created, ${report.updated} updated, ${report.removed} removed`
          : 'nothing written'
      }`;
      if (!report.written) {
        throw new ApiError<ApiErrorCode>(
          422,
          'import_rejected',
          `${report.rejectedCount} row(s) rejected, so nothing was written; fix them, or import with mode=keep-valid`,
          { report },
        );
      }
      // Labels and districts as the import left them; types or utilities added by SQL come along.
      await reload();
      return report;
    },
  );

  app.get(
    '/objects/export',
    {
      config: { access: ACCESS.read },
      schema: {
        tags: ['objects'],
        summary: 'The registry as GeoJSON (districts, then objects) or CSV: the files the import takes back',
        querystring: ExportQuery,
        response: {
          200: {
            description: 'application/geo+json FeatureCollection or text/csv, streamed',
            content: { 'application/geo+json': { schema: {} }, 'text/csv': { schema: {} } },
          },
          400: ErrorBody,
        },
      },
    },
    async (request, reply) => {
      const { format, type, district } = request.query;
      const filter = { type, district };
      const lines = format === 'csv' ? exportCsv(db, filter) : exportGeoJson(db, filter);
      const name = `objects${type ? `-${type}` : ''}${district ? `-${district}` : ''}.${format}`;
      return reply
        .type(format === 'csv' ? 'text/csv; charset=utf-8' : 'application/geo+json')
        .header('content-disposition', `attachment; filename="${name}"`)
        .send(Readable.from(lines));
    },
  );

  app.get(
    '/objects/:number',
    {
      config: { access: ACCESS.public },
      schema: {
        tags: ['objects'],
        summary:
          'One object by its number: type, address, district and position; staff also see its owner, attributes and what other parts add',
        description:
          'The number as painted or typed: case, dashes, spaces and Cyrillic/Latin look-alike letters do not ' +
          'matter (`op0300417` finds `ОП-03-00417`). Without a token: the resident view.',
        params: ObjectNumberParams,
        response: { 200: ObjectView, 400: ErrorBody, 404: ErrorBody },
      },
    },
    async (request) => {
      const object = objects.get(request.params.number);
      if (!object) {
        throw new ApiError<ApiErrorCode>(404, 'unknown_object', 'no object has this number');
      }
      const type = reference.types.get(object.type);
      const district = object.district === null ? undefined : districts.get(object.district);
      const view: ObjectPublicView = {
        number: object.number,
        type: object.type,
        typeLabel: { uk: type?.labelUk ?? object.type, en: type?.labelEn ?? object.type },
        address: object.address,
        district:
          object.district === null
            ? null
            : { code: object.district, name: district?.name ?? object.district, nameEn: district?.nameEn ?? null },
        lat: object.lat,
        lon: object.lon,
      };
      const principal = request.principal;
      if (!principal) return view;
      const owner = object.ownerUtility === null ? undefined : reference.utilities.get(object.ownerUtility);
      const staff: ObjectStaffView = {
        ...view,
        ownerUtility:
          object.ownerUtility === null ? null : { id: object.ownerUtility, name: owner?.nameUk ?? object.ownerUtility },
        attributes: object.attributes,
      };
      for (const add of enrich) Object.assign(staff, await add(object, principal));
      return staff;
    },
  );
};
