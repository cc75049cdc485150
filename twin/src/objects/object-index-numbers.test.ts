import { describe, expect, it } from 'vitest';
import { numberKey } from '../contract/object-number.ts';
import { OBJECT_TYPES, type ObjectType, objectNumber } from '../contract/object-types.ts';
import { packNumber, packNumberKey, unpackNumber } from './object-index-numbers.ts';

describe('packed object numbers', () => {
  it('packs every type, district and sequence of the scheme into a distinct integer and back', () => {
    const seen = new Set<number>();
    for (const type of Object.keys(OBJECT_TYPES) as ObjectType[]) {
      for (const [district, sequence] of [
        ['00', 0],
        ['03', 417],
        ['99', 99_999],
      ] as const) {
        const number = objectNumber(type, district, sequence);
        const packed = packNumberKey(numberKey(number));
        expect(packed).toBeGreaterThanOrEqual(0);
        expect(packed).toBeLessThan(2 ** 31);
        expect(unpackNumber(packed)).toBe(number);
        expect(packNumber(number)).toEqual({ packed, key: undefined });
        expect(packNumber(number.toLowerCase())).toEqual({ packed, key: numberKey(number) });
        seen.add(packed);
      }
    }
    expect(seen.size).toBe(Object.keys(OBJECT_TYPES).length * 3);
  });

  it('packs any spelling of a number alike, and leaves numbers outside the scheme unpacked', () => {
    expect(packNumberKey(numberKey('op 03 00417'))).toBe(packNumberKey(numberKey('ОП-03-00417')));
    expect(packNumberKey(numberKey('dp-01-00001'))).toBe(-1);
    expect(unpackNumber(packNumberKey(numberKey('ДР-01-00001')))).toBe('ДР-01-00001');
    for (const other of ['ОП-3-00417', 'ОП-03-004170', 'KIOSK/12', 'ЯЯ-03-00417', '']) {
      expect(packNumberKey(numberKey(other))).toBe(-1);
      expect(packNumber(other)).toEqual({ packed: -1, key: numberKey(other) });
    }
  });
});
