import type { FastifyInstance } from 'fastify';
import {
  DeviceInputError,
  type DevicePatch,
  type DeviceRegistry,
  type DeviceRow,
  getDevice,
  listDevices,
  type NewDevice,
  patchDevice,
  upsertDevice,
} from '../devices/registry.ts';
import type { Db } from '../store/db.ts';
import { ApiError, errorSchema } from './errors.ts';

const devEuiSchema = { type: 'string', pattern: '^[0-9a-fA-F]{16}$', description: 'LoRaWAN DevEUI, 16 hex digits' };
const editable = {
  model: { type: 'string', minLength: 3, examples: ['milesight-iot/em310-udl'] },
  name: { type: 'string', maxLength: 200 },
  applicationId: { type: 'string', maxLength: 100 },
  objectNumber: { type: ['string', 'null'], maxLength: 64, description: 'number of the city object it is mounted on' },
  settings: {
    type: 'object',
    additionalProperties: false,
    properties: { binDepthMm: { type: 'integer', minimum: 100, maximum: 10_000 } },
  },
} as const;

const deviceSchema = {
  type: 'object',
  properties: {
    devEui: { type: 'string' },
    ...editable,
    createdAt: { type: 'string', format: 'date-time' },
    lastSeen: { type: ['string', 'null'], format: 'date-time' },
    fCnt: { type: ['number', 'null'] },
    battery: { type: ['number', 'null'] },
    rssi: { type: ['number', 'null'] },
    snr: { type: ['number', 'null'] },
    margin: { type: ['number', 'null'] },
  },
} as const;

export async function deviceRoutes(app: FastifyInstance, ctx: { db: Db; registry: DeviceRegistry }): Promise<void> {
  const { db, registry } = ctx;
  const remembered = (row: DeviceRow) => {
    registry.remember(row);
    return row;
  };
  const inputError = (err: unknown): never => {
    if (err instanceof DeviceInputError) throw new ApiError(400, 'unknown_model', err.message);
    throw err;
  };

  app.post<{ Body: NewDevice }>(
    '/devices',
    {
      schema: {
        tags: ['devices'],
        summary: 'Register a device (or replace its registration)',
        body: {
          type: 'object',
          required: ['devEui', 'model'],
          additionalProperties: false,
          properties: { devEui: devEuiSchema, ...editable },
        },
        response: { 201: deviceSchema, 400: errorSchema },
      },
    },
    async (request, reply) => {
      const row = await upsertDevice(db, request.body).catch(inputError);
      return reply.status(201).send(remembered(row));
    },
  );

  app.get<{ Querystring: { model?: string; objectNumber?: string; limit: number; offset: number } }>(
    '/devices',
    {
      schema: {
        tags: ['devices'],
        summary: 'List registered devices',
        querystring: {
          type: 'object',
          additionalProperties: false,
          properties: {
            model: { type: 'string' },
            objectNumber: { type: 'string' },
            limit: { type: 'integer', minimum: 1, maximum: 10_000, default: 100 },
            offset: { type: 'integer', minimum: 0, default: 0 },
          },
        },
        response: { 200: { type: 'array', items: deviceSchema } },
      },
    },
    async (request) => listDevices(db, request.query),
  );

  app.get<{ Params: { devEui: string } }>(
    '/devices/:devEui',
    {
      schema: {
        tags: ['devices'],
        summary: 'One device with its last-seen, battery and radio figures',
        params: { type: 'object', properties: { devEui: devEuiSchema } },
        response: { 200: deviceSchema, 404: errorSchema },
      },
    },
    async (request) => {
      const row = await getDevice(db, request.params.devEui);
      if (!row) throw new ApiError(404, 'not_found', `device ${request.params.devEui} is not registered`);
      return row;
    },
  );

  app.patch<{ Params: { devEui: string }; Body: DevicePatch }>(
    '/devices/:devEui',
    {
      schema: {
        tags: ['devices'],
        summary: 'Change a device: model, name, object binding, settings',
        params: { type: 'object', properties: { devEui: devEuiSchema } },
        body: { type: 'object', additionalProperties: false, minProperties: 1, properties: editable },
        response: { 200: deviceSchema, 400: errorSchema, 404: errorSchema },
      },
    },
    async (request) => {
      const row = await patchDevice(db, request.params.devEui, request.body).catch(inputError);
      if (!row) throw new ApiError(404, 'not_found', `device ${request.params.devEui} is not registered`);
      return remembered(row);
    },
  );
}
