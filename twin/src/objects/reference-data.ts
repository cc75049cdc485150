import { readFile } from 'node:fs/promises';
import type { Queryable } from '@city/ingest';
import { type TSchema, Type } from 'typebox';
import { Value } from 'typebox/value';
import {
  ObjectTypeDefinition,
  RESERVED_PROPERTIES,
  type UtilityDefinition as Utility,
  UtilityDefinition,
} from '../contract/objects.ts';
import { insertObjectTypesIfAbsent, listObjectTypes } from './object-types-table.ts';
import { insertUtilitiesIfAbsent, listUtilities } from './utilities-table.ts';

/** The seed files, beside src/ and dist/ alike. */
const FOLDER = new URL('../../reference-data/', import.meta.url);

/** The object types and utilities an import checks against, by id. */
export interface ReferenceData {
  types: ReadonlyMap<string, ObjectTypeDefinition>;
  utilities: ReadonlyMap<string, Utility>;
}

export async function loadReferenceData(db: Queryable): Promise<ReferenceData> {
  const [types, utilities] = await Promise.all([listObjectTypes(db), listUtilities(db)]);
  return { types: new Map(types.map((t) => [t.id, t])), utilities: new Map(utilities.map((u) => [u.id, u])) };
}

/**
 * Adds the object types and utilities of reference-data/*.json that the tables do not hold yet.
 * Rows already there are the city's and are left alone, so an edited file adds new ids but does
 * not overwrite what a city changed by SQL. Runs at every start; a bad file stops the start.
 */
export async function seedReferenceData(db: Queryable): Promise<{ types: number; utilities: number }> {
  const utilities = await readSeed('utilities.json', 'utilities', UtilityDefinition);
  const types = await readSeed('object-types.json', 'types', ObjectTypeDefinition);
  checkTypes(types, new Set([...utilities.map((u) => u.id), ...(await listUtilities(db)).map((u) => u.id)]));
  const addedUtilities = await insertUtilitiesIfAbsent(db, utilities);
  const addedTypes = await insertObjectTypesIfAbsent(db, types);
  return { types: addedTypes, utilities: addedUtilities };
}

async function readSeed<T extends TSchema>(file: string, key: string, item: T) {
  const url = new URL(file, FOLDER);
  const parsed: unknown = JSON.parse(await readFile(url, 'utf8'));
  const schema = Type.Object({ [key]: Type.Array(item) });
  if (!Value.Check(schema, parsed)) {
    const [first] = Value.Errors(schema, parsed);
    throw new Error(`${url.pathname}: ${first?.instancePath ?? ''} ${first?.message ?? 'does not match its schema'}`);
  }
  return (parsed as Record<string, Type.Static<T>[]>)[key] as Type.Static<T>[];
}

/** Problems no schema keyword catches: a reserved attribute name, an unknown default owner, a duplicate id. */
export function checkTypes(types: readonly ObjectTypeDefinition[], utilityIds: ReadonlySet<string>): void {
  const reserved = new Set<string>(RESERVED_PROPERTIES);
  const seen = new Set<string>();
  for (const t of types) {
    if (seen.has(t.id)) throw new Error(`object type ${t.id} is defined twice`);
    seen.add(t.id);
    if (t.defaultOwner !== undefined && !utilityIds.has(t.defaultOwner)) {
      throw new Error(`object type ${t.id}: default owner ${t.defaultOwner} is not a utility`);
    }
    for (const name of Object.keys(t.attributes)) {
      if (reserved.has(name)) throw new Error(`object type ${t.id}: attribute name ${name} is reserved`);
    }
  }
}
