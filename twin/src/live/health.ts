import { type DeviceClass, findCodec } from '@city/ingest';
import type { LiveHealth } from '../contract/live.ts';

/**
 * How often a device of each class is expected to report, seconds: the slow end of what such
 * devices are commonly configured with (the simulator's profiles are the same), since a device
 * that reports more often than expected only looks healthier. Meters may report once a day.
 */
export const EXPECTED_INTERVAL_S: Readonly<Record<DeviceClass, number>> = {
  air: 600,
  streetlight: 900,
  bin: 1800,
  io: 1800,
  meter: 86_400,
};

/** A device whose model no codec implements (or not yet known to this process). */
export const DEFAULT_INTERVAL_S = 3600;

/** Missed reports before a device counts as stale (LoRaWAN loses the odd uplink), then offline. */
export const STALE_AFTER_INTERVALS = 2.5;
export const OFFLINE_AFTER_INTERVALS = 6;

/** The expected interval of a model's devices, ms. */
export function expectedIntervalMs(model: string | null): number {
  const codec = model ? findCodec(model) : undefined;
  return 1000 * (codec ? EXPECTED_INTERVAL_S[codec.class] : DEFAULT_INTERVAL_S);
}

/** ok / stale / offline, from the time since a device (or an object's devices) last reported. */
export function health(lastSeenMs: number, intervalMs: number, nowMs: number): LiveHealth {
  const age = nowMs - lastSeenMs;
  if (age <= STALE_AFTER_INTERVALS * intervalMs) return 'ok';
  if (age <= OFFLINE_AFTER_INTERVALS * intervalMs) return 'stale';
  return 'offline';
}
