import type { FastifyInstance } from 'fastify';
import { findCodec } from '../codecs/index.ts';
import type { DownlinkCommand } from '../contract/codec.ts';
import { CHIRPSTACK_DOWNLINK_TOPIC, fillTopic } from '../contract/topics.ts';
import { getDevice } from '../devices/registry.ts';
import type { Db } from '../store/db.ts';
import { ApiError, errorSchema } from './errors.ts';

/** Sends an MQTT message at QoS 1; resolves when the broker has it. */
export type Publish = (topic: string, payload: Buffer) => Promise<void>;

const commandSchema = {
  oneOf: [
    {
      type: 'object',
      required: ['type', 'channel', 'on'],
      additionalProperties: false,
      properties: {
        type: { const: 'switch' },
        channel: { type: 'integer', minimum: 1, maximum: 16 },
        on: { type: 'boolean' },
      },
    },
    {
      type: 'object',
      required: ['type', 'seconds'],
      additionalProperties: false,
      properties: { type: { const: 'report_interval' }, seconds: { type: 'integer', minimum: 1, maximum: 86_400 } },
    },
  ],
} as const;

/**
 * Commands to devices, encoded by the device model's codec and queued in ChirpStack through its
 * MQTT downlink topic (`application/{app}/device/{devEui}/command/down`, JSON form).
 */
export async function downlinkRoutes(app: FastifyInstance, ctx: { db: Db; publish?: Publish | undefined }) {
  app.post<{ Params: { devEui: string }; Body: { command: DownlinkCommand; confirmed?: boolean } }>(
    '/devices/:devEui/downlink',
    {
      schema: {
        tags: ['devices'],
        summary: 'Send a command (switch a streetlight circuit, set the report interval) to a device',
        params: { type: 'object', properties: { devEui: { type: 'string', pattern: '^[0-9a-fA-F]{16}$' } } },
        body: {
          type: 'object',
          required: ['command'],
          additionalProperties: false,
          properties: { command: commandSchema, confirmed: { type: 'boolean', default: false } },
        },
        response: {
          202: {
            type: 'object',
            properties: {
              topic: { type: 'string' },
              fPort: { type: 'integer' },
              bytes: { type: 'string', description: 'hex' },
              confirmed: { type: 'boolean' },
            },
          },
          400: errorSchema,
          404: errorSchema,
          422: errorSchema,
          503: errorSchema,
        },
      },
    },
    async (request, reply) => {
      const device = await getDevice(ctx.db, request.params.devEui);
      if (!device) throw new ApiError(404, 'not_found', `device ${request.params.devEui} is not registered`);
      const codec = findCodec(device.model);
      if (!codec?.encodeDownlink) {
        throw new ApiError(422, 'no_downlink', `model ${device.model} takes no commands`);
      }
      const frame = codec.encodeDownlink(request.body.command);
      if ('errors' in frame) throw new ApiError(422, 'no_downlink', frame.errors.join('; '));
      if (!device.applicationId) {
        throw new ApiError(422, 'no_downlink', 'the device has no ChirpStack applicationId; PATCH it first');
      }
      if (!ctx.publish) throw new ApiError(503, 'unavailable', 'no MQTT connection for downlinks');
      const topic = fillTopic(CHIRPSTACK_DOWNLINK_TOPIC, {
        applicationId: device.applicationId,
        devEui: device.devEui,
      });
      const confirmed = request.body.confirmed ?? false;
      const message = {
        devEui: device.devEui,
        confirmed,
        fPort: frame.fPort,
        data: Buffer.from(frame.bytes).toString('base64'),
      };
      await ctx.publish(topic, Buffer.from(JSON.stringify(message))).catch((err: Error) => {
        throw new ApiError(503, 'unavailable', `broker did not take the downlink: ${err.message}`);
      });
      return reply
        .status(202)
        .send({ topic, fPort: frame.fPort, bytes: Buffer.from(frame.bytes).toString('hex'), confirmed });
    },
  );
}
