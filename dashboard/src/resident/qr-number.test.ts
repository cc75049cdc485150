import { describe, expect, it } from 'vitest';
import { numberFromScan } from './qr-number.ts';

describe('the number a scanned QR code names', () => {
  it('is the last part of a resident-page URL, or the bare text', () => {
    expect(numberFromScan('https://city.example/r/%D0%9E%D0%9F-03-00417')).toBe('ОП-03-00417');
    expect(numberFromScan('http://10.0.0.5:8080/r/op0300417/')).toBe('op0300417');
    expect(numberFromScan('  ОП-03-00417 ')).toBe('ОП-03-00417');
    expect(numberFromScan('r/КЛ-01-00002')).toBe('КЛ-01-00002');
  });

  it('is never a link to follow or more than a number can be', () => {
    expect(numberFromScan('https://evil.example/phish?x=1')).toBe('https://evil.example/phish?x=1'.slice(0, 64));
    expect(numberFromScan('ОП\u0000-03\u001b-00417')).toBe('ОП-03-00417');
    expect(numberFromScan('x'.repeat(1000))).toHaveLength(64);
    expect(numberFromScan('https://city.example/r/%E0%A4%A')).toBe('%E0%A4%A');
  });
});
