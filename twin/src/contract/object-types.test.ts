import { describe, expect, it } from 'vitest';
import { OBJECT_NUMBER, OBJECT_TYPES, type ObjectType, objectNumber } from './index.ts';

const TYPES = Object.keys(OBJECT_TYPES) as ObjectType[];

describe('object numbering', () => {
  it('gives every type its own two-letter prefix', () => {
    const prefixes = TYPES.map((type) => OBJECT_TYPES[type].prefix);
    expect(new Set(prefixes).size).toBe(prefixes.length);
    for (const prefix of prefixes) expect(prefix).toMatch(/^[А-ЯІЇЄҐ]{2}$/);
  });

  it('writes prefix, two-digit district and five-digit sequence', () => {
    expect(objectNumber('pole', '03', 417)).toBe('ОП-03-00417');
    expect(objectNumber('air_station', '07', 1)).toBe('ПС-07-00001');
    expect(objectNumber('bin', '01', 99_999)).toBe('СМ-01-99999');
  });

  it('reads back what it writes for every type, prefix and district apart', () => {
    for (const type of TYPES) {
      const match = OBJECT_NUMBER.exec(objectNumber(type, '05', 42));
      expect(match?.slice(1), type).toEqual([OBJECT_TYPES[type].prefix, '05', '00042']);
    }
  });

  it('accepts no other prefix or width', () => {
    for (const number of ['XX-03-00417', 'ОП-3-00417', 'ОП-03-417', 'ОП-03-004170', 'OП-03-00417', ' ОП-03-00417'])
      expect(OBJECT_NUMBER.test(number), number).toBe(false);
  });
});
