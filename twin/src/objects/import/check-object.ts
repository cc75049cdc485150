import { numberKey } from '../../contract/object-number.ts';
import {
  type AttributeDefinition,
  COMMON_ATTRIBUTES,
  OBJECT_LIMITS,
  type ObjectTypeDefinition,
} from '../../contract/objects.ts';
import type { CityObjectRecord } from '../object-record.ts';
import type { ReferenceData } from '../reference-data.ts';
import { quote, textProblem } from './check-text.ts';
import { type CityExtent, EXTENT_MARGIN_M } from './city-extent.ts';
import type { RawObject } from './raw-object.ts';

/** What an object is checked against: the types and utilities, the districts known, the city's extent. */
export interface ObjectCheckContext {
  reference: ReferenceData;
  districtCodes: ReadonlySet<string>;
  extent: CityExtent;
}

export type CheckedObject =
  | { ok: true; record: CityObjectRecord; key: string }
  | { ok: false; number: string | null; reasons: string[] };

/** Letters and digits, with spaces, dots, slashes, underscores or dashes between them. */
const NUMBER_SHAPE = /^[\p{L}\p{N}](?:[\p{L}\p{N} ._/\p{Pd}]*[\p{L}\p{N}])?$/u;
/** A decimal as a CSV cell may hold one: `47.84`, `-3`, `1e-3`; not `0x1F`, `Infinity` or ``. */
const DECIMAL = /^[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?$/;

/** An empty cell, a null or an absent property: no value. */
const absent = (v: unknown) => v === undefined || v === null || v === '';

/**
 * Checks one object of an import file; every problem is a reason naming its field, so the
 * report says all that is wrong with a row at once. A missing district is found by
 * point-in-polygon, a missing owner is the type's default owner.
 */
export function checkObject(raw: RawObject, ctx: ObjectCheckContext): CheckedObject {
  const reasons: string[] = [];
  const problem = (field: string, why: string) => reasons.push(`${field}: ${why}`);

  const number = typeof raw.number === 'string' ? raw.number.trim() : raw.number;
  let key = '';
  if (absent(number)) problem('number', 'missing');
  else if (typeof number !== 'string') problem('number', `must be text, not ${quote(number)}`);
  else {
    const bad = textProblem(number, OBJECT_LIMITS.number);
    key = numberKey(number);
    if (bad) problem('number', bad);
    else if (!NUMBER_SHAPE.test(number)) {
      problem('number', `${quote(number)} is not letters and digits with dashes, spaces or dots between`);
    } else if (key.length > OBJECT_LIMITS.number) problem('number', `is too long once normalised`);
  }

  const type = typeof raw.type === 'string' ? ctx.reference.types.get(raw.type.trim()) : undefined;
  if (absent(raw.type)) problem('type', 'missing');
  else if (!type)
    problem('type', `unknown object type ${quote(raw.type)} (known: ${[...ctx.reference.types.keys()].join(', ')})`);

  const text = raw.text ? (raw.decimalComma ? 'comma' : 'point') : undefined;
  const lat = readNumber(raw.lat, text);
  const lon = readNumber(raw.lon, text);
  if (typeof lat === 'string') problem('lat', lat);
  else if (lat < -90 || lat > 90) problem('lat', `${lat} is not a latitude (-90..90)`);
  if (typeof lon === 'string') problem('lon', lon);
  else if (lon < -180 || lon > 180) problem('lon', `${lon} is not a longitude (-180..180)`);
  const placed = typeof lat === 'number' && typeof lon === 'number' && reasons.every((r) => !/^l(at|on):/.test(r));
  if (placed) {
    const outside = ctx.extent.metresOutside(lat, lon);
    if (outside > EXTENT_MARGIN_M) {
      problem('lat/lon', `(${lat}, ${lon}) lies ${(outside / 1000).toFixed(1)} km outside the city's districts`);
    }
  }

  let district: string | null = null;
  if (absent(raw.district)) district = placed ? ctx.extent.districtAt(lat, lon) : null;
  else if (typeof raw.district !== 'string')
    problem('district', `must be a district code (text), not ${quote(raw.district)}`);
  else if (!ctx.districtCodes.has(raw.district.trim())) problem('district', `unknown district ${quote(raw.district)}`);
  else district = raw.district.trim();

  let address: string | null = null;
  if (!absent(raw.address)) {
    if (typeof raw.address !== 'string') problem('address', `must be text, not ${quote(raw.address)}`);
    else {
      const bad = textProblem(raw.address, OBJECT_LIMITS.address);
      if (bad) problem('address', bad);
      else address = raw.address.trim() || null;
    }
  }

  let ownerUtility: string | null = type?.defaultOwner ?? null;
  if (!absent(raw.ownerUtility)) {
    const id = typeof raw.ownerUtility === 'string' ? raw.ownerUtility.trim() : undefined;
    if (id === undefined || !ctx.reference.utilities.has(id)) {
      problem(raw.text ? 'owner_utility' : 'ownerUtility', `unknown utility ${quote(raw.ownerUtility)}`);
    } else ownerUtility = id;
  }

  const attributes: Record<string, string | number | boolean> = {};
  for (const [name, value] of raw.attributes) {
    if (absent(value)) continue;
    const definition = Object.hasOwn(COMMON_ATTRIBUTES, name)
      ? COMMON_ATTRIBUTES[name]
      : type && ownAttribute(type, name);
    if (!definition) {
      if (type) problem(name, `not an attribute of ${type.id} (${Object.keys(type.attributes).join(', ') || 'none'})`);
      continue;
    }
    const read = readAttribute(definition, value, text);
    if (read.ok) attributes[name] = read.value;
    else problem(name, read.why);
  }

  if (reasons.length > 0 || !type || typeof lat !== 'number' || typeof lon !== 'number') {
    return { ok: false, number: typeof number === 'string' && number !== '' ? number : null, reasons };
  }
  return {
    ok: true,
    key,
    record: { number: number as string, type: type.id, lat, lon, district, address, ownerUtility, attributes },
  };
}

/** Own properties only: an attribute named `constructor` or `__proto__` is no attribute. */
function ownAttribute(type: ObjectTypeDefinition, name: string): AttributeDefinition | undefined {
  return Object.hasOwn(type.attributes, name) ? type.attributes[name] : undefined;
}

/** How a CSV cell writes decimals; undefined for JSON values. */
type Decimals = 'point' | 'comma' | undefined;

/** A finite number, or why not. */
function readNumber(value: unknown, text: Decimals): number | string {
  if (absent(value)) return 'missing';
  if (text && typeof value === 'string') {
    const trimmed = text === 'comma' ? value.trim().replace(',', '.') : value.trim();
    if (!DECIMAL.test(trimmed)) return `${quote(value)} is not a number`;
    value = Number(trimmed);
  }
  if (typeof value !== 'number') return `must be a number, not ${quote(value)}`;
  if (!Number.isFinite(value)) return `${value} is not a finite number`;
  return value;
}

type Read = { ok: true; value: string | number | boolean } | { ok: false; why: string };

function readAttribute(def: AttributeDefinition, value: unknown, text: Decimals): Read {
  switch (def.kind) {
    case 'number': {
      const n = readNumber(value, text);
      if (typeof n === 'string') return { ok: false, why: n };
      if (def.integer && !Number.isInteger(n)) return { ok: false, why: `${n} is not a whole number` };
      const unit = def.unit ? ` ${def.unit}` : '';
      if (def.min !== undefined && n < def.min) return { ok: false, why: `${n} is below ${def.min}${unit}` };
      if (def.max !== undefined && n > def.max) return { ok: false, why: `${n} is above ${def.max}${unit}` };
      return { ok: true, value: n };
    }
    case 'boolean': {
      if (typeof value === 'boolean') return { ok: true, value };
      if (text && typeof value === 'string' && /^(true|false)$/i.test(value.trim())) {
        return { ok: true, value: value.trim().toLowerCase() === 'true' };
      }
      return { ok: false, why: `must be true or false, not ${quote(value)}` };
    }
    case 'text': {
      if (typeof value !== 'string') return { ok: false, why: `must be text, not ${quote(value)}` };
      const bad = textProblem(value, def.maxLength ?? OBJECT_LIMITS.text);
      return bad ? { ok: false, why: bad } : { ok: true, value };
    }
  }
}
