import type { MetricValue } from '../contract/codec.ts';
import { FrameError } from '../frame-error.ts';
import type { ChirpStackEvent, DeviceRef } from '../network-servers/chirpstack/events.ts';
import { RANGES, type Range, TEXT_MAX } from '../store/column-limits.ts';

/** The time window an event's timestamp must fall in (settings TIME_MIN, TIME_MAX_AHEAD_S). */
export interface TimeWindow {
  minMs: number;
  maxAheadMs: number;
}

/**
 * NUL, which PostgreSQL's text refuses, and what invalid UTF-8 becomes on the way in: the
 * replacement character (Buffer decoding) or a lone surrogate (a JSON `\ud800` escape).
 * With the `u` flag a paired surrogate is one code point and does not match.
 */
const BAD_TEXT = /[\0\uFFFD\uD800-\uDFFF]/u;

function invalid(field: string, problem: string): never {
  throw new FrameError('invalid_value', `${field}: ${problem}`);
}

/** Throws `invalid_value` naming `field` when `value` holds NUL or invalid UTF-8 or is longer than `max`. */
export function checkText(value: string, field: string, max: number): void {
  if (value.length > max) invalid(field, `${value.length} characters, more than ${max}`);
  if (BAD_TEXT.test(value)) invalid(field, 'holds NUL or invalid UTF-8');
}

function checkRange(value: number, field: string, [min, max]: Range): void {
  // Written so that NaN fails too.
  if (!(value >= min && value <= max)) invalid(field, `${value} is outside ${min}..${max}`);
}

function checkFinite(value: number, field: string): void {
  if (!Number.isFinite(value)) invalid(field, `${value} is not a finite number`);
}

/**
 * Checks every value of a parsed event against what its rows can hold (`column-limits.ts`)
 * and its time against the window, so that the database never refuses a batch for one frame.
 * `nowMs` is the frame's arrival.
 */
export function validateEvent(event: ChirpStackEvent, window: TimeWindow, nowMs: number): void {
  const t = event.time.getTime();
  if (Number.isNaN(t)) invalid('time', 'not a representable time');
  if (t < window.minMs)
    invalid('time', `${event.time.toISOString()} is before ${new Date(window.minMs).toISOString()}`);
  if (t > nowMs + window.maxAheadMs)
    invalid('time', `${event.time.toISOString()} is more than ${window.maxAheadMs / 1000} s ahead of its arrival`);
  checkDevice(event.device);
  switch (event.type) {
    case 'up':
      checkRange(event.fCnt, 'fCnt', RANGES.fCnt);
      checkRange(event.fPort, 'fPort', RANGES.fPort);
      checkRange(event.dr, 'dr', RANGES.dr);
      checkRange(event.frequency, 'txInfo.frequency', RANGES.frequency);
      checkRange(event.rxInfo.length, 'rxInfo (gateways)', RANGES.gateways);
      checkText(event.deduplicationId, 'deduplicationId', TEXT_MAX.id);
      checkText(event.devAddr, 'devAddr', TEXT_MAX.id);
      for (const [i, rx] of event.rxInfo.entries()) {
        checkText(rx.gatewayId, `rxInfo[${i}].gatewayId`, TEXT_MAX.id);
        checkRange(rx.rssi, `rxInfo[${i}].rssi`, RANGES.rssi);
        checkRange(rx.snr, `rxInfo[${i}].snr`, RANGES.snr);
      }
      return;
    case 'status':
      checkText(event.deduplicationId, 'deduplicationId', TEXT_MAX.id);
      checkRange(event.margin, 'margin', RANGES.margin);
      checkRange(event.batteryLevel, 'batteryLevel', RANGES.batteryLevel);
      return;
    case 'join':
      checkText(event.deduplicationId, 'deduplicationId', TEXT_MAX.id);
      checkText(event.devAddr, 'devAddr', TEXT_MAX.id);
      return;
    case 'ack':
      checkText(event.queueItemId, 'queueItemId', TEXT_MAX.id);
      checkRange(event.fCntDown, 'fCntDown', RANGES.counter);
      return;
    case 'txack':
      checkRange(event.downlinkId, 'downlinkId', RANGES.counter);
      checkText(event.queueItemId, 'queueItemId', TEXT_MAX.id);
      checkRange(event.fCntDown, 'fCntDown', RANGES.counter);
      checkText(event.gatewayId, 'gatewayId', TEXT_MAX.id);
      return;
    case 'log':
      checkText(event.level, 'level', TEXT_MAX.id);
      checkText(event.code, 'code', TEXT_MAX.id);
      checkText(event.description, 'description', TEXT_MAX.description);
      checkTextMap(event.context, 'context', TEXT_MAX.description);
      return;
    case 'location':
      checkText(event.deduplicationId, 'deduplicationId', TEXT_MAX.id);
      checkText(event.source, 'location.source', TEXT_MAX.id);
      checkFinite(event.latitude, 'location.latitude');
      checkFinite(event.longitude, 'location.longitude');
      checkFinite(event.altitude, 'location.altitude');
      checkFinite(event.accuracy, 'location.accuracy');
      return;
  }
}

/** A codec's values go to a `double precision` column, which would take NaN and Infinity as they are. */
export function checkMetrics(values: readonly MetricValue[]): void {
  for (const { metric, value } of values) checkFinite(value, `decoded ${metric}`);
}

function checkDevice(d: DeviceRef): void {
  checkText(d.applicationId, 'deviceInfo.applicationId', TEXT_MAX.id);
  checkText(d.deviceName, 'deviceInfo.deviceName', TEXT_MAX.name);
  checkText(d.deviceProfileName, 'deviceInfo.deviceProfileName', TEXT_MAX.name);
  checkTextMap(d.tags, 'deviceInfo.tags', TEXT_MAX.name);
}

function checkTextMap(map: Record<string, string>, field: string, max: number): void {
  for (const key in map) {
    checkText(key, `${field} key`, TEXT_MAX.name);
    checkText(map[key] as string, `${field}.${key}`, max);
  }
}
