import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { ACCESS } from '../contract/http-access.ts';
import { DevEuiParams, Device, DevicePatch, DeviceQuery, NewDevice } from '../contract/http-api.ts';
import { ApiError, ErrorBody } from '../contract/http-errors.ts';
import { DeviceInputError, type DeviceRegistry, patchDevice, upsertDevice } from '../devices/registry.ts';
import type { Db } from '../store/db.ts';
import { type DeviceRow, getDevice, listDevices } from '../store/devices-table.ts';

/** The device registry over HTTP; every change goes through the registry's cache too. */
export const deviceRoutes: FastifyPluginAsyncTypebox<{ db: Db; registry: DeviceRegistry }> = async (app, ctx) => {
  const { db, registry } = ctx;
  const remembered = (row: DeviceRow) => {
    registry.remember(row);
    return row;
  };
  const inputError = (err: unknown): never => {
    if (err instanceof DeviceInputError) throw new ApiError(400, 'unknown_model', err.message);
    throw err;
  };
  const notFound = (devEui: string) => new ApiError(404, 'not_found', `device ${devEui} is not registered`);

  app.post(
    '/devices',
    {
      config: { access: ACCESS.operate },
      schema: {
        tags: ['devices'],
        summary: 'Register a device (or replace its registration)',
        body: NewDevice,
        response: { 201: Device, 400: ErrorBody },
      },
    },
    async (request, reply) => {
      const row = await upsertDevice(db, request.body).catch(inputError);
      return reply.status(201).send(remembered(row));
    },
  );

  app.get(
    '/devices',
    {
      config: { access: ACCESS.read },
      schema: {
        tags: ['devices'],
        summary: 'List registered devices',
        querystring: DeviceQuery,
        response: { 200: Type.Array(Device) },
      },
    },
    async (request) => listDevices(db, request.query),
  );

  app.get(
    '/devices/:devEui',
    {
      config: { access: ACCESS.read },
      schema: {
        tags: ['devices'],
        summary: 'One device with its last-seen, battery and radio figures',
        params: DevEuiParams,
        response: { 200: Device, 404: ErrorBody },
      },
    },
    async (request) => {
      const row = await getDevice(db, request.params.devEui);
      if (!row) throw notFound(request.params.devEui);
      return row;
    },
  );

  app.patch(
    '/devices/:devEui',
    {
      config: { access: ACCESS.operate },
      schema: {
        tags: ['devices'],
        summary: 'Change a device: model, name, object binding, settings',
        params: DevEuiParams,
        body: DevicePatch,
        response: { 200: Device, 400: ErrorBody, 404: ErrorBody },
      },
    },
    async (request) => {
      const row = await patchDevice(db, request.params.devEui, request.body).catch(inputError);
      if (!row) throw notFound(request.params.devEui);
      return remembered(row);
    },
  );
};
