import { FrameError } from '../frame-error.ts';

/**
 * Typed reads from a decoded JSON object. ChirpStack omits Protobuf default values, so an
 * absent field is its zero value; a present field of the wrong type is an invalid event.
 */
export type JsonObject = Record<string, unknown>;

function fail(path: string, expected: string, value: unknown): never {
  throw new FrameError('invalid_event', `${path}: expected ${expected}, got ${JSON.stringify(value)}`);
}

export function obj(value: unknown, path: string): JsonObject {
  if (value === undefined || value === null) return {};
  if (typeof value !== 'object' || Array.isArray(value)) fail(path, 'an object', value);
  return value as JsonObject;
}

export function str(o: JsonObject, key: string, path = key): string {
  const v = o[key];
  if (v === undefined || v === null) return '';
  if (typeof v !== 'string') fail(path, 'a string', v);
  return v;
}

export function num(o: JsonObject, key: string, path = key): number {
  const v = o[key];
  if (v === undefined || v === null) return 0;
  // Protobuf JSON writes 64-bit integers as strings.
  const n = typeof v === 'string' && v.trim() !== '' ? Number(v) : v;
  if (typeof n !== 'number' || !Number.isFinite(n)) fail(path, 'a number', v);
  return n;
}

export function int(o: JsonObject, key: string, path = key): number {
  const n = num(o, key, path);
  if (!Number.isInteger(n) || n < 0) fail(path, 'a non-negative integer', o[key]);
  return n;
}

export function bool(o: JsonObject, key: string, path = key): boolean {
  const v = o[key];
  if (v === undefined || v === null) return false;
  if (typeof v !== 'boolean') fail(path, 'a boolean', v);
  return v;
}

export function arr(o: JsonObject, key: string, path = key): unknown[] {
  const v = o[key];
  if (v === undefined || v === null) return [];
  if (!Array.isArray(v)) fail(path, 'an array', v);
  return v;
}

export function stringMap(value: unknown, path: string): Record<string, string> {
  const o = obj(value, path);
  for (const [k, v] of Object.entries(o)) if (typeof v !== 'string') fail(`${path}.${k}`, 'a string', v);
  return o as Record<string, string>;
}

export function time(o: JsonObject, key: string, path = key): Date {
  const raw = str(o, key, path);
  if (raw === '') fail(path, 'an RFC 3339 time', o[key]);
  const date = new Date(raw);
  if (Number.isNaN(date.getTime())) fail(path, 'an RFC 3339 time', raw);
  return date;
}

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

export function base64(o: JsonObject, key: string, path = key): Uint8Array {
  const raw = str(o, key, path);
  if (!BASE64.test(raw)) fail(path, 'base64', raw);
  return Buffer.from(raw, 'base64');
}

/** Lower-case hex EUI of 16 digits, as ChirpStack writes it. */
export function eui(raw: string, path: string): string {
  const s = raw.toLowerCase();
  if (!/^[0-9a-f]{16}$/.test(s)) fail(path, '16 hex digits', raw);
  return s;
}
