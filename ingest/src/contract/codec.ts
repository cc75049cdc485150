import type { MetricName } from './metrics.ts';

/** Device classes the city names; each codec belongs to exactly one. */
export const DEVICE_CLASSES = ['meter', 'bin', 'streetlight', 'air', 'io'] as const;
export type DeviceClass = (typeof DEVICE_CLASSES)[number];

export interface UplinkInput {
  fPort: number;
  bytes: Uint8Array;
}

/** TTN's decodeUplink contract: a result with warnings, or errors. Never a throw. */
export type DecodeResult<T = Record<string, unknown>> = { data: T; warnings: string[] } | { errors: string[] };

/** One normalised value in the city vocabulary. */
export interface MetricValue {
  metric: MetricName;
  value: number;
}

/** Per-object settings a codec may need to normalise (e.g. a bin's depth for fill %). */
export interface NormaliseContext {
  /** Distance from the ultrasonic sensor to the bin floor, mm. */
  binDepthMm?: number;
}

export interface Codec<T extends object = object> {
  /** `vendor/codec`, as in The Things Network device repository. */
  model: string;
  vendor: string;
  name: string;
  class: DeviceClass;
  /** City metrics this model can produce (battery, rssi and snr come from every uplink). */
  metrics: readonly MetricName[];
  decodeUplink(input: UplinkInput): DecodeResult<T>;
  /** Maps the vendor's `data` to city metrics. Must not throw on any `data` decodeUplink returned. */
  toMetrics(data: T, ctx: NormaliseContext): MetricValue[];
}
