import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { findCodec } from '../codecs/index.ts';
import { ACCESS } from '../contract/http-access.ts';
import { DevEuiParams, DownlinkAccepted, DownlinkRequest } from '../contract/http-api.ts';
import { ApiError, ErrorBody } from '../contract/http-errors.ts';
import { CHIRPSTACK_DOWNLINK_TOPIC, fillTopic } from '../contract/topics.ts';
import type { Db } from '../store/db.ts';
import { getDevice } from '../store/devices-table.ts';
import type { Publish } from './api-backend.ts';

/**
 * Commands to devices, encoded by the device model's codec and queued in ChirpStack through its
 * MQTT downlink topic (`application/{app}/device/{devEui}/command/down`, JSON form).
 */
export const downlinkRoutes: FastifyPluginAsyncTypebox<{ db: Db; publish?: Publish | undefined }> = async (
  app,
  ctx,
) => {
  app.post(
    '/devices/:devEui/downlink',
    {
      config: { access: ACCESS.operate },
      schema: {
        tags: ['devices'],
        summary: 'Send a command (switch a streetlight circuit, set the report interval) to a device',
        params: DevEuiParams,
        body: DownlinkRequest,
        response: { 202: DownlinkAccepted, 400: ErrorBody, 404: ErrorBody, 422: ErrorBody, 503: ErrorBody },
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
      const confirmed = request.body.confirmed;
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
};
