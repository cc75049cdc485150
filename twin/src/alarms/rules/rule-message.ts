import { isMetricName, METRICS } from '@city/ingest';
import type { Comparison } from '../../contract/alarm-rules.ts';
import { OP_SYMBOLS } from './comparison.ts';

/**
 * What an alarm says to people: the metric's name, the value with its unit (ingest's metric
 * vocabulary) and the bound it met. Built only for the signals a reading makes, never per reading.
 */

const LABELS: Readonly<Record<string, string>> = { pm1: 'PM1', pm25: 'PM2.5', pm10: 'PM10', no2: 'NO₂', co2: 'CO₂' };

export function metricLabel(metric: string): string {
  return LABELS[metric] ?? metric.replaceAll('_', ' ');
}

function unitOf(metric: string): string {
  return isMetricName(metric) ? METRICS[metric].unit : '1';
}

/** `91 %`, `12.35 m³/h`; a count or flag without a unit. */
export function withUnit(metric: string, value: number): string {
  const unit = unitOf(metric);
  const shown = String(Math.round(value * 100) / 100);
  return unit === '1' || unit === 'bool' ? shown : `${shown} ${unit}`;
}

/** `fill level 91 % ≥ 85 %`; a flag as `lamp on = 1`. */
export function comparisonText(metric: string, value: number, bound: Comparison): string {
  if (unitOf(metric) === 'bool') return `${metricLabel(metric)} = ${withUnit(metric, value)}`;
  return `${metricLabel(metric)} ${withUnit(metric, value)} ${OP_SYMBOLS[bound.op]} ${withUnit(metric, bound.value)}`;
}

/** `3 h 10 min`, `30 min`, `2 d 4 h`. */
export function durationText(ms: number): string {
  const minutes = Math.round(ms / 60_000);
  const days = Math.floor(minutes / 1440);
  const hours = Math.floor((minutes % 1440) / 60);
  const rest = minutes % 60;
  const parts = [
    days > 0 ? `${days} d` : '',
    hours > 0 ? `${hours} h` : '',
    rest > 0 || minutes === 0 ? `${rest} min` : '',
  ];
  return parts.filter((p) => p !== '').join(' ');
}
