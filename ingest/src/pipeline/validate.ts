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
 * replacement character (Buffer decoding) or a lone surrogate (a JSON `\ud800` escape; a
 * paired surrogate is well formed). Three native scans: a third faster than one Unicode regular
 * expression, and every text of every frame goes through it.
 */
const cleanText = (value: string) =>
  (value as WellFormedString).isWellFormed() && !value.includes('\0') && !value.includes('\uFFFD');
/** ES2024's String.prototype.isWellFormed, in Node since 20; the compiler's lib stops at ES2022 (Node 20's). */
type WellFormedString = string & { isWellFormed(): boolean };

function invalid(field: string, problem: string): never {
  throw new FrameError('invalid_value', `${field}: ${problem}`);
}

/** Throws `invalid_value` naming `field` when `value` holds NUL or invalid UTF-8 or is longer than `max`. */
export function checkText(value: string, field: string, max: number): void {
  if (value.length > max) invalid(field, `${value.length} characters, more than ${max}`);
  if (!cleanText(value)) invalid(field, 'holds NUL or invalid UTF-8');
}

/*
 * Where a field's name is built per frame (a gateway's index, a tag's key, a metric), the
 * checks below test first and build the name only for the error: a name is a string allocated
 * for every frame, and ingest takes thousands a second.
 */
const textOk = (value: string, max: number) => value.length <= max && cleanText(value);
// Written so that NaN fails too.
const inRange = (value: number, [min, max]: Range) => value >= min && value <= max;

function checkRange(value: number, field: string, range: Range): void {
  if (!inRange(value, range)) invalid(field, `${value} is outside ${range[0]}..${range[1]}`);
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
      for (let i = 0; i < event.rxInfo.length; i++) {
        const { gatewayId, rssi, snr } = event.rxInfo[i] as (typeof event.rxInfo)[number];
        if (textOk(gatewayId, TEXT_MAX.id) && inRange(rssi, RANGES.rssi) && inRange(snr, RANGES.snr)) continue;
        checkText(gatewayId, `rxInfo[${i}].gatewayId`, TEXT_MAX.id);
        checkRange(rssi, `rxInfo[${i}].rssi`, RANGES.rssi);
        checkRange(snr, `rxInfo[${i}].snr`, RANGES.snr);
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
  for (const { metric, value } of values) if (!Number.isFinite(value)) checkFinite(value, `decoded ${metric}`);
}

function checkDevice(d: DeviceRef): void {
  checkText(d.applicationId, 'deviceInfo.applicationId', TEXT_MAX.id);
  checkText(d.deviceName, 'deviceInfo.deviceName', TEXT_MAX.name);
  checkText(d.deviceProfileName, 'deviceInfo.deviceProfileName', TEXT_MAX.name);
  checkTextMap(d.tags, 'deviceInfo.tags', TEXT_MAX.name);
}

function checkTextMap(map: Record<string, string>, field: string, max: number): void {
  for (const key in map) {
    const value = map[key] as string;
    if (textOk(key, TEXT_MAX.name) && textOk(value, max)) continue;
    checkText(key, `${field} key`, TEXT_MAX.name);
    checkText(value, `${field}.${key}`, max);
  }
}
