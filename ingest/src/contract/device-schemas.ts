import { type Static, Type } from 'typebox';

/**
 * What a device can be configured with and told, as JSON Schemas: the HTTP API validates
 * requests with them and codecs take their TypeScript types from them.
 */

/** Per-device settings a codec may need to normalise (e.g. a bin's depth for fill %). */
export const DeviceSettings = Type.Object(
  {
    binDepthMm: Type.Optional(
      Type.Integer({
        minimum: 100,
        maximum: 10_000,
        description: 'Distance from the ultrasonic sensor to the bin floor, mm',
      }),
    ),
  },
  { additionalProperties: false },
);
export type DeviceSettings = Static<typeof DeviceSettings>;

/** What the city can ask a device to do; a codec encodes the commands its device understands. */
export const DownlinkCommand = Type.Union([
  Type.Object(
    {
      type: Type.Literal('switch'),
      /** Switch one output (relay, lamp circuit, socket); channels count from 1. */
      channel: Type.Integer({ minimum: 1, maximum: 16 }),
      on: Type.Boolean(),
    },
    { additionalProperties: false },
  ),
  Type.Object(
    {
      type: Type.Literal('dim'),
      /** Dim one lamp output to `level` % of full light (0 switches it off); channels count from 1. */
      channel: Type.Integer({ minimum: 1, maximum: 16 }),
      level: Type.Integer({ minimum: 0, maximum: 100 }),
    },
    { additionalProperties: false },
  ),
  Type.Object(
    { type: Type.Literal('report_interval'), seconds: Type.Integer({ minimum: 1, maximum: 86_400 }) },
    { additionalProperties: false },
  ),
]);
export type DownlinkCommand = Static<typeof DownlinkCommand>;
