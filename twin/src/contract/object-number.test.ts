import { describe, expect, it } from 'vitest';
import { numberKey } from './object-number.ts';
import { OBJECT_TYPES, objectNumber } from './object-types.ts';

describe('numberKey', () => {
  it('case, separators and Cyrillic/Latin look-alikes do not matter', () => {
    const painted = 'ОП-03-00417';
    const spellings = [
      'op0300417', // Latin, lower case, no dashes (П typed as its sound, P)
      'OП 03 00417', // a Latin O among Cyrillic letters, spaces
      'оп.03.00417',
      'ОП_03_00417',
      ' ОП–03—00417 ', // en and em dashes, surrounding spaces
      'ОП\u221203\u221200417', // minus signs
      'ＯＰ－０３－００４１７', // full-width (NFKC)
    ];
    for (const s of spellings) expect(numberKey(s), s).toBe(numberKey(painted));
    expect(numberKey(painted)).toBe('оп0300417');
  });

  it('maps every look-alike of the table', () => {
    expect(numberKey('ABCEHIKMOPTXY')).toBe(numberKey('АВСЕНІКМОПТХУ'));
    expect(numberKey('abcehikmoptxy')).toBe(numberKey('авсенікмоптху'));
    // Р (by look) and П (by sound) are both typed as P.
    expect(numberKey('ДР-01-00001')).toBe(numberKey('DP-01-00001'.replace('D', 'Д')));
    expect(numberKey('Р')).toBe(numberKey('П'));
  });

  it('keeps what differs: digits, other letters, the order', () => {
    expect(numberKey('ОП-03-00417')).not.toBe(numberKey('ОП-03-00418'));
    expect(numberKey('ЛК-03-00417')).not.toBe(numberKey('ОП-03-00417'));
    expect(numberKey('D-1')).toBe('d1');
    expect(numberKey('R')).not.toBe(numberKey('Р'));
    expect(numberKey('ОП0')).not.toBe(numberKey('ОПО'));
  });

  it('is empty for a number of separators only', () => {
    expect(numberKey(' - . _ ')).toBe('');
  });

  it('gives every type prefix of the numbering scheme a distinct key', () => {
    const keys = Object.keys(OBJECT_TYPES).map((t) => numberKey(objectNumber(t as keyof typeof OBJECT_TYPES, '01', 1)));
    expect(new Set(keys).size).toBe(keys.length);
  });

  it('is idempotent', () => {
    for (const s of ['ОП-03-00417', 'op0300417', 'ШК-07-00012', 'x y.z']) {
      expect(numberKey(numberKey(s))).toBe(numberKey(s));
    }
  });
});
