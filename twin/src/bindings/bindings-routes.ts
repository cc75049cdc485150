import {
  ACCESS,
  ApiError,
  changeBinding,
  type Db,
  DevEuiParams,
  type DeviceRegistry,
  deviceBindings,
  ErrorBody,
  getDevice,
  objectBindings,
  STAFF_ROLES,
} from '@city/ingest';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { ApiErrorCode } from '../contract/api-errors.ts';
import { Binding, BindingChange, BindingHistoryQuery, BindRequest } from '../contract/live.ts';
import { ObjectNumberParams } from '../contract/objects.ts';
import type { LiveTwin } from '../live/live-twin.ts';
import type { ObjectLookup } from '../objects/object-record.ts';

export interface BindingsRoutesOptions {
  db: Db;
  objects: ObjectLookup;
  /** This process's device registry (ingest's pipeline reads it in the embedded mode): it follows a change at once. */
  registry: DeviceRegistry;
  live?: LiveTwin | undefined;
}

/**
 * Which device is on which object, and since when. A binding lives in the device registry
 * (`devices.object_number`), and every change of it - here, PATCH /devices, zero-touch adoption in
 * an ingest process - leaves its row in the history through ingest's trigger. These routes bind,
 * move and unbind by name (their audit row says who; the history says who and why), and read the
 * history. Readings keep the object they were taken at: a move changes where the next ones go.
 *
 * This process's registry and live state follow a change at once; other processes' within their
 * refresh (an ingest process's registry: 10 s; another twin process's live state: 5 s).
 */
export const bindingsRoutes: FastifyPluginAsyncTypebox<BindingsRoutesOptions> = async (app, opts) => {
  const { db, objects, registry, live } = opts;
  const unknownDevice = (devEui: string) => new ApiError(404, 'not_found', `device ${devEui} is not registered`);

  app.get(
    '/objects/:number/bindings',
    {
      config: { access: STAFF_ROLES },
      schema: {
        tags: ['bindings'],
        summary: 'The devices that were ever on an object: when each came, when it left, who moved it and why',
        params: ObjectNumberParams,
        querystring: BindingHistoryQuery,
        response: { 200: Type.Array(Binding), 404: ErrorBody },
      },
    },
    async (request) => {
      const { number } = request.params;
      const object = objects.get(number);
      const rows = await objectBindings(
        db,
        object ? [...new Set([object.number, number])] : [number],
        request.query.limit,
      );
      if (!object && rows.length === 0)
        throw new ApiError<ApiErrorCode>(404, 'unknown_object', `no object has the number ${number}`);
      return rows;
    },
  );

  app.get(
    '/devices/:devEui/bindings',
    {
      config: { access: STAFF_ROLES },
      schema: {
        tags: ['bindings'],
        summary: 'The objects a device was on, newest first',
        params: DevEuiParams,
        querystring: BindingHistoryQuery,
        response: { 200: Type.Array(Binding), 404: ErrorBody },
      },
    },
    async (request) => {
      const { devEui } = request.params;
      const rows = await deviceBindings(db, devEui, request.query.limit);
      if (rows.length === 0 && !(await getDevice(db, devEui))) throw unknownDevice(devEui);
      return rows;
    },
  );

  /** Binds `devEui` to `objectNumber` (null: unbinds it), saying who. */
  const bind = async (devEui: string, objectNumber: string | null, actor: string | null) => {
    const device = await getDevice(db, devEui);
    if (!device) throw unknownDevice(devEui);
    const previous = device.objectNumber;
    if (previous === objectNumber) return { devEui: device.devEui, objectNumber, previous, changed: false };
    const reason = objectNumber === null ? 'unbind' : previous === null ? 'bind' : 'move';
    const row = await changeBinding(db, devEui, objectNumber, { actor, reason });
    if (!row) throw unknownDevice(devEui);
    registry.remember(row);
    live?.deviceChanged({
      devEui: row.devEui,
      model: row.model,
      objectNumber: row.objectNumber,
      lastSeenMs: row.lastSeen ? Date.parse(row.lastSeen) : null,
    });
    return { devEui: row.devEui, objectNumber: row.objectNumber, previous, changed: true };
  };

  app.post(
    '/bindings',
    {
      config: { access: ACCESS.operate },
      schema: {
        tags: ['bindings'],
        summary: 'Bind a device to an object, or move it to another (its readings so far stay with the old one)',
        body: BindRequest,
        response: { 200: BindingChange, 400: ErrorBody, 404: ErrorBody },
      },
    },
    async (request) => {
      const { devEui, objectNumber } = request.body;
      request.auditTarget = JSON.stringify({ devEui, objectNumber });
      const object = objects.get(objectNumber);
      if (!object) throw new ApiError<ApiErrorCode>(404, 'unknown_object', `no object has the number ${objectNumber}`);
      return bind(devEui, object.number, request.principal?.name ?? null);
    },
  );

  app.delete(
    '/bindings/:devEui',
    {
      config: { access: ACCESS.operate },
      schema: {
        tags: ['bindings'],
        summary: 'Unbind a device from its object',
        params: DevEuiParams,
        response: { 200: BindingChange, 404: ErrorBody },
      },
    },
    async (request) => bind(request.params.devEui, null, request.principal?.name ?? null),
  );
};
