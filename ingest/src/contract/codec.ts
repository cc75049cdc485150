import type { DeviceSettings, DownlinkCommand } from './device-schemas.ts';
import type { MetricName } from './metric-vocabulary.ts';

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

/** Per-device settings a codec may need to normalise; the HTTP schema `DeviceSettings` is its type. */
export type NormaliseContext = DeviceSettings;

export type { DownlinkCommand };

export interface DownlinkFrame {
  fPort: number;
  bytes: Uint8Array;
}

/** Like decoding: a frame to send, or errors (unsupported command, value out of range). Never a throw. */
export type EncodeResult = DownlinkFrame | { errors: string[] };

/** A published or hand-checked uplink with its expected decoding, run by the shared example test. */
export interface UplinkExample {
  description: string;
  input: { fPort: number; bytes: readonly number[] };
  output: { data: Record<string, unknown> } | { errors: string[] };
}

export interface DownlinkExample {
  description: string;
  command: DownlinkCommand;
  output: { fPort: number; bytes: readonly number[] } | { errors: string[] };
}

export interface Codec<T extends object = object> {
  /** `vendor/codec`, as in The Things Network device repository. */
  model: string;
  vendor: string;
  name: string;
  class: DeviceClass;
  /** City metrics this model can produce (battery, rssi and snr come from every uplink). */
  metrics: readonly MetricName[];
  /** Ports the model's uplinks use; absent when the payload describes itself and any port is decoded. */
  fPorts?: readonly number[];
  decodeUplink(input: UplinkInput): DecodeResult<T>;
  /** Maps the vendor's `data` to city metrics. Must not throw on any `data` decodeUplink returned. */
  toMetrics(data: T, ctx: NormaliseContext): MetricValue[];
  /** Present on models the city can command. */
  encodeDownlink?(command: DownlinkCommand): EncodeResult;
  /** Examples beyond the vendored vectors (models without a vector file, paths the vectors miss). */
  examples?: readonly UplinkExample[];
  downlinkExamples?: readonly DownlinkExample[];
}
