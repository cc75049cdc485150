import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { CODECS, findCodec } from '../codecs/index.ts';
import { ACCESS } from '../contract/http-access.ts';
import { CodecInfo, CodecParams, DecodeFailure, DecodeRequest, DecodeResponse } from '../contract/http-api.ts';
import { ApiError, ErrorBody } from '../contract/http-errors.ts';

export const codecRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/codecs',
    {
      config: { access: ACCESS.public },
      schema: {
        tags: ['codecs'],
        summary: 'Device models ingest can decode',
        response: { 200: Type.Array(CodecInfo) },
      },
    },
    async () =>
      CODECS.map(({ model, class: cls, vendor, name, metrics }) => ({
        model,
        class: cls,
        vendor,
        name,
        metrics: [...metrics],
      })),
  );

  app.post(
    '/codecs/:vendor/:codec/decode',
    {
      config: { access: ACCESS.read },
      schema: {
        tags: ['codecs'],
        summary: 'Decode a payload with a device model, as ingest would',
        params: CodecParams,
        body: DecodeRequest,
        response: { 200: DecodeResponse, 404: ErrorBody, 422: DecodeFailure },
      },
    },
    async (request) => {
      const model = `${request.params.vendor}/${request.params.codec}`;
      const codec = findCodec(model);
      if (!codec) {
        throw new ApiError(404, 'unknown_model', `no codec for model "${model}"; GET /api/v1/codecs lists them`);
      }
      const result = codec.decodeUplink({ fPort: request.body.fPort, bytes: Buffer.from(request.body.bytes, 'hex') });
      if ('errors' in result) {
        throw new ApiError(422, 'decode_failed', result.errors.join('; '), { errors: result.errors });
      }
      return { data: result.data, warnings: result.warnings, metrics: codec.toMetrics(result.data, {}) };
    },
  );
};
