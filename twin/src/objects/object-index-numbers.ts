import { numberKey } from '../contract/object-number.ts';
import { OBJECT_TYPES } from '../contract/object-types.ts';

/**
 * Numbers of the city's scheme (`ОП-03-00417`: prefix, district, sequence) packed into one
 * integer, prefix x 10^7 + district x 10^5 + sequence, below 2^31: the index keeps 4 bytes per
 * object and a Map entry with an integer key instead of two strings (the number and its key),
 * some 80 bytes. Numbers outside the scheme (a city's own) stay strings.
 */
const PREFIXES: readonly string[] = Object.values(OBJECT_TYPES).map((t) => t.prefix);
const PREFIX_KEYS = PREFIXES.map(numberKey);
const SCHEME_KEY = new RegExp(`^(${PREFIX_KEYS.join('|')})(\\d{2})(\\d{5})$`);

/** The scheme as painted, the spelling most lookups use: it packs without computing the key. */
const SCHEME_NUMBER = new RegExp(`^(${PREFIXES.join('|')})-(\\d{2})-(\\d{5})$`);

/**
 * The packed number of a number as given, or -1 when it is not of the scheme; `key` is its number
 * key, computed (numberKey costs about a microsecond) only when the spelling is not the painted one.
 */
export function packNumber(number: string): { packed: number; key: string | undefined } {
  const match = SCHEME_NUMBER.exec(number);
  if (match) {
    const [, prefix = '', district = '', sequence = ''] = match;
    return {
      packed: PREFIXES.indexOf(prefix) * 10_000_000 + Number(district) * 100_000 + Number(sequence),
      key: undefined,
    };
  }
  const key = numberKey(number);
  return { packed: packNumberKey(key), key };
}

/** The packed number of a number key (numberKey's output), or -1 when the key is not of the scheme. */
export function packNumberKey(key: string): number {
  const match = SCHEME_KEY.exec(key);
  if (!match) return -1;
  const [, prefix = '', district = '', sequence = ''] = match;
  return PREFIX_KEYS.indexOf(prefix) * 10_000_000 + Number(district) * 100_000 + Number(sequence);
}

/** The number as the scheme writes it (`ОП-03-00417`). */
export function unpackNumber(packed: number): string {
  const prefix = PREFIXES[Math.floor(packed / 10_000_000)] ?? '?';
  const district = String(Math.floor(packed / 100_000) % 100).padStart(2, '0');
  return `${prefix}-${district}-${String(packed % 100_000).padStart(5, '0')}`;
}
