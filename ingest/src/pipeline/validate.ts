import { isUtf8 } from 'node:buffer';
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

const BACKSLASH_U = Buffer.from('\\u');
const REPLACEMENT_UTF8 = Buffer.from('\uFFFD');

/**
 * True when `source` is JSON none of whose texts can hold NUL or invalid UTF-8: valid UTF-8
 * with no `\u` escape (the only way JSON writes NUL or a lone surrogate; a raw NUL fails
 * JSON.parse) and no literal replacement character. Then each text only needs its length
 * checked: three native scans of the whole payload instead of three per text, of which an
 * uplink has a dozen.
 */
function jsonTextsClean(source: Uint8Array): boolean {
  if (source[0] !== 0x7b) return false;
  const bytes = Buffer.isBuffer(source) ? source : Buffer.from(source.buffer, source.byteOffset, source.byteLength);
  return isUtf8(bytes) && !bytes.includes(BACKSLASH_U) && !bytes.includes(REPLACEMENT_UTF8);
}

/** checkText for a text already known clean (see jsonTextsClean). */
function checkLength(value: string, field: string, max: number): void {
  if (value.length > max) invalid(field, `${value.length} characters, more than ${max}`);
}

/*
 * Where a field's name is built per frame (a gateway's index, a tag's key, a metric), the
 * checks below test first and build the name only for the error: a name is a string allocated
 * for every frame, and ingest takes thousands a second.
 */
const textOk = (value: string, max: number) => value.length <= max && cleanText(value);
const lengthOk = (value: string, max: number) => value.length <= max;

/** How an event's texts are checked: in full, or for their length only (see jsonTextsClean). */
interface TextChecks {
  check(value: string, field: string, max: number): void;
  ok(value: string, max: number): boolean;
}
const IN_FULL: TextChecks = { check: checkText, ok: textOk };
const LENGTH_ONLY: TextChecks = { check: checkLength, ok: lengthOk };
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
 * `nowMs` is the frame's arrival; `source`, the payload the event was parsed from.
 */
export function validateEvent(event: ChirpStackEvent, window: TimeWindow, nowMs: number, source?: Uint8Array): void {
  const text = source !== undefined && jsonTextsClean(source) ? LENGTH_ONLY : IN_FULL;
  const t = event.time.getTime();
  if (Number.isNaN(t)) invalid('time', 'not a representable time');
  if (t < window.minMs)
    invalid('time', `${event.time.toISOString()} is before ${new Date(window.minMs).toISOString()}`);
  if (t > nowMs + window.maxAheadMs)
    invalid('time', `${event.time.toISOString()} is more than ${window.maxAheadMs / 1000} s ahead of its arrival`);
  checkDevice(event.device, text);
  switch (event.type) {
    case 'up':
      checkRange(event.fCnt, 'fCnt', RANGES.fCnt);
      checkRange(event.fPort, 'fPort', RANGES.fPort);
      checkRange(event.dr, 'dr', RANGES.dr);
      checkRange(event.frequency, 'txInfo.frequency', RANGES.frequency);
      checkRange(event.rxInfo.length, 'rxInfo (gateways)', RANGES.gateways);
      text.check(event.deduplicationId, 'deduplicationId', TEXT_MAX.id);
      text.check(event.devAddr, 'devAddr', TEXT_MAX.id);
      for (let i = 0; i < event.rxInfo.length; i++) {
        const { gatewayId, rssi, snr } = event.rxInfo[i] as (typeof event.rxInfo)[number];
        if (text.ok(gatewayId, TEXT_MAX.id) && inRange(rssi, RANGES.rssi) && inRange(snr, RANGES.snr)) continue;
        text.check(gatewayId, `rxInfo[${i}].gatewayId`, TEXT_MAX.id);
        checkRange(rssi, `rxInfo[${i}].rssi`, RANGES.rssi);
        checkRange(snr, `rxInfo[${i}].snr`, RANGES.snr);
      }
      return;
    case 'status':
      text.check(event.deduplicationId, 'deduplicationId', TEXT_MAX.id);
      checkRange(event.margin, 'margin', RANGES.margin);
      checkRange(event.batteryLevel, 'batteryLevel', RANGES.batteryLevel);
      return;
    case 'join':
      text.check(event.deduplicationId, 'deduplicationId', TEXT_MAX.id);
      text.check(event.devAddr, 'devAddr', TEXT_MAX.id);
      return;
    case 'ack':
      text.check(event.queueItemId, 'queueItemId', TEXT_MAX.id);
      checkRange(event.fCntDown, 'fCntDown', RANGES.counter);
      return;
    case 'txack':
      checkRange(event.downlinkId, 'downlinkId', RANGES.counter);
      text.check(event.queueItemId, 'queueItemId', TEXT_MAX.id);
      checkRange(event.fCntDown, 'fCntDown', RANGES.counter);
      text.check(event.gatewayId, 'gatewayId', TEXT_MAX.id);
      return;
    case 'log':
      text.check(event.level, 'level', TEXT_MAX.id);
      text.check(event.code, 'code', TEXT_MAX.id);
      text.check(event.description, 'description', TEXT_MAX.description);
      checkTextMap(event.context, 'context', TEXT_MAX.description, text);
      return;
    case 'location':
      text.check(event.deduplicationId, 'deduplicationId', TEXT_MAX.id);
      text.check(event.source, 'location.source', TEXT_MAX.id);
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

function checkDevice(d: DeviceRef, text: TextChecks): void {
  text.check(d.applicationId, 'deviceInfo.applicationId', TEXT_MAX.id);
  text.check(d.deviceName, 'deviceInfo.deviceName', TEXT_MAX.name);
  text.check(d.deviceProfileName, 'deviceInfo.deviceProfileName', TEXT_MAX.name);
  checkTextMap(d.tags, 'deviceInfo.tags', TEXT_MAX.name, text);
}

function checkTextMap(map: Record<string, string>, field: string, max: number, text: TextChecks): void {
  for (const key in map) {
    const value = map[key] as string;
    if (text.ok(key, TEXT_MAX.name) && text.ok(value, max)) continue;
    text.check(key, `${field} key`, TEXT_MAX.name);
    text.check(value, `${field}.${key}`, max);
  }
}
