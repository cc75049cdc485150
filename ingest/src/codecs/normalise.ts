import type { MetricValue, NormaliseContext } from '../contract/codec.ts';
import type { MetricName } from '../contract/metric-vocabulary.ts';

/** A metric and its value as decoded; booleans become 1/0, absent values are skipped. */
export type MetricPair = readonly [MetricName, number | boolean | undefined | null];

/** Collects metrics from a decoded object, skipping absent or non-finite values. */
export function metricsFrom(pairs: readonly MetricPair[]): MetricValue[] {
  const out: MetricValue[] = [];
  for (const [metric, raw] of pairs) {
    if (raw === undefined || raw === null) continue;
    const value = typeof raw === 'boolean' ? (raw ? 1 : 0) : raw;
    if (Number.isFinite(value)) out.push({ metric, value });
  }
  return out;
}

/** Default bin depth when an object has none configured: a common 1.2 m street bin. */
export const DEFAULT_BIN_DEPTH_MM = 1200;

/** Fill level % from an ultrasonic distance: 0 at the floor (distance = depth), 100 at the sensor. */
export function distanceToFill(distanceMm: number, depthMm = DEFAULT_BIN_DEPTH_MM): number {
  const fill = ((depthMm - distanceMm) / depthMm) * 100;
  return Math.round(Math.min(100, Math.max(0, fill)) * 10) / 10;
}

/** `distance` and `fill_level` from an ultrasonic distance in mm, using the object's bin depth. */
export function fillFromDistance(distanceMm: number | undefined, ctx: NormaliseContext): MetricPair[] {
  if (distanceMm === undefined) return [];
  return [
    ['distance', distanceMm],
    ['fill_level', distanceToFill(distanceMm, ctx.binDepthMm)],
  ];
}

/**
 * Approximate charge % from a battery voltage, for devices that report volts, not percent.
 * Linear between `emptyV` and `fullV`, clamped. The defaults fit the 3.6 V lithium
 * (Li-SOCl2) cells these sensors run on: their discharge curve is flat until near the end, so
 * the figure is coarse, but it falls steadily enough to rank devices for battery rounds.
 */
export function batteryPercent(volts: number, emptyV = 3.0, fullV = 3.6): number {
  const pct = ((volts - emptyV) / (fullV - emptyV)) * 100;
  return Math.round(Math.min(100, Math.max(0, pct)));
}

/** `battery` and `battery_voltage` metrics from a voltage, or nothing when none was reported. */
export function batteryFromVolts(volts: number | undefined): MetricPair[] {
  return [
    ['battery', volts === undefined ? undefined : batteryPercent(volts)],
    ['battery_voltage', volts],
  ];
}
