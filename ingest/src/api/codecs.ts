import type { FastifyInstance } from 'fastify';
import { CODECS, findCodec } from '../codecs/index.ts';
import { DEVICE_CLASSES } from '../contract/codec.ts';
import { ApiError, errorSchema } from './errors.ts';

const codecSchema = {
  type: 'object',
  properties: {
    model: { type: 'string', examples: ['milesight-iot/em310-udl'] },
    class: { type: 'string', enum: DEVICE_CLASSES },
    vendor: { type: 'string' },
    name: { type: 'string' },
    metrics: { type: 'array', items: { type: 'string' } },
  },
} as const;

export async function codecRoutes(app: FastifyInstance): Promise<void> {
  app.get(
    '/codecs',
    {
      schema: {
        tags: ['codecs'],
        summary: 'Device models ingest can decode',
        response: { 200: { type: 'array', items: codecSchema } },
      },
    },
    async () =>
      CODECS.map(({ model, class: cls, vendor, name, metrics }) => ({ model, class: cls, vendor, name, metrics })),
  );

  app.post<{ Params: { vendor: string; codec: string }; Body: { fPort: number; bytes: string } }>(
    '/codecs/:vendor/:codec/decode',
    {
      schema: {
        tags: ['codecs'],
        summary: 'Decode a payload with a device model, as ingest would',
        params: {
          type: 'object',
          properties: { vendor: { type: 'string' }, codec: { type: 'string' } },
        },
        body: {
          type: 'object',
          required: ['fPort', 'bytes'],
          additionalProperties: false,
          properties: {
            fPort: { type: 'integer', minimum: 0, maximum: 255 },
            bytes: { type: 'string', pattern: '^([0-9a-fA-F]{2})*$', maxLength: 1024, description: 'payload as hex' },
          },
        },
        response: {
          200: {
            type: 'object',
            properties: {
              data: { type: 'object', additionalProperties: true },
              warnings: { type: 'array', items: { type: 'string' } },
              metrics: {
                type: 'array',
                items: { type: 'object', properties: { metric: { type: 'string' }, value: { type: 'number' } } },
              },
            },
          },
          404: errorSchema,
          422: {
            ...errorSchema,
            properties: { ...errorSchema.properties, errors: { type: 'array', items: { type: 'string' } } },
          },
        },
      },
    },
    async (request) => {
      const model = `${request.params.vendor}/${request.params.codec}`;
      const codec = findCodec(model);
      if (!codec)
        throw new ApiError(404, 'unknown_model', `no codec for model "${model}"; GET /api/v1/codecs lists them`);
      const result = codec.decodeUplink({ fPort: request.body.fPort, bytes: Buffer.from(request.body.bytes, 'hex') });
      if ('errors' in result) {
        throw new ApiError(422, 'decode_failed', result.errors.join('; '), { errors: result.errors });
      }
      return { data: result.data, warnings: result.warnings, metrics: codec.toMetrics(result.data, {}) };
    },
  );
}
