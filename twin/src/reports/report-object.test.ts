import { describe, expect, it } from 'vitest';
import { numberFromQrToken } from '../contract/qr-token.ts';
import type { CityObjectRecord, ObjectLookup } from '../objects/object-record.ts';
import { reportedObject } from './report-object.ts';

describe('the object a report names', () => {
  it('is the number a QR token holds: the resident page URL or the bare number', () => {
    expect(numberFromQrToken('https://city.example/r/%D0%9E%D0%9F-03-00417')).toBe('ОП-03-00417');
    expect(numberFromQrToken('http://10.0.0.1:8080/r/ОП-03-00417/')).toBe('ОП-03-00417');
    expect(numberFromQrToken('https://city.example/r/ОП-03-00417?utm=x#top')).toBe('ОП-03-00417');
    expect(numberFromQrToken('/r/ОП-03-00417')).toBe('ОП-03-00417');
    expect(numberFromQrToken(' ОП-03-00417 ')).toBe('ОП-03-00417');
    expect(numberFromQrToken('https://city.example/r/%E0%A4%A')).toBe('%E0%A4%A');
    expect(numberFromQrToken('https://[bad')).toBe('https://[bad');
  });

  it('must be named once, and exist', () => {
    const pole: CityObjectRecord = {
      number: 'ОП-03-00417',
      type: 'pole',
      lat: 47.8,
      lon: 35.1,
      district: '03',
      address: null,
      ownerUtility: null,
      attributes: {},
    };
    const objects: ObjectLookup = { get: (n) => (n === pole.number ? pole : undefined) };
    expect(reportedObject(objects, { objectNumber: pole.number })).toBe(pole);
    expect(reportedObject(objects, { qrToken: `https://x/r/${pole.number}` })).toBe(pole);
    expect(() => reportedObject(objects, {})).toThrow(/one of them/);
    expect(() => reportedObject(objects, { objectNumber: pole.number, qrToken: pole.number })).toThrow(/one of them/);
    expect(() => reportedObject(objects, { objectNumber: 'ОП-03-99999' })).toThrow(/no city object/);
  });
});
