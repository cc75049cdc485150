import { describe, expect, it } from 'vitest';
import { TRACKING_CODE_ALPHABET, TRACKING_CODE_LENGTH } from '../contract/reports.ts';
import { newTrackingCode, normalizeTrackingCode } from './tracking-code.ts';

describe('tracking codes', () => {
  it('use 31 letters that cannot be mixed up when read out (no 0/O, 1/I/L)', () => {
    expect(TRACKING_CODE_ALPHABET).toHaveLength(31);
    expect(new Set(TRACKING_CODE_ALPHABET).size).toBe(31);
    for (const confusable of '01OIL') expect(TRACKING_CODE_ALPHABET).not.toContain(confusable);
    // 31^10: about 49 bits, 8e14 codes.
    expect(TRACKING_CODE_ALPHABET.length ** TRACKING_CODE_LENGTH).toBeGreaterThan(8e14);
  });

  it('are random over the whole alphabet', () => {
    const codes = Array.from({ length: 5000 }, newTrackingCode);
    expect(new Set(codes).size).toBe(codes.length);
    for (const code of codes) expect(normalizeTrackingCode(code)).toBe(code);
    const seen = new Set(codes.join(''));
    expect(seen.size).toBe(31);
  });

  it('are read back whatever the case, spaces, dashes or keyboard layout', () => {
    expect(normalizeTrackingCode('7kq2m-xh9tw')).toBe('7KQ2MXH9TW');
    expect(normalizeTrackingCode(' 7KQ2M XH9TW ')).toBe('7KQ2MXH9TW');
    // Cyrillic К, М, Н, Т typed on a Ukrainian layout.
    expect(normalizeTrackingCode('7\u041aQ2\u041cX\u041d9\u0422W')).toBe('7KQ2MXH9TW');
    for (const bad of ['', '7KQ2MXH9T', '7KQ2MXH9TWW', '0KQ2MXH9TW', 'OKQ2MXH9TW', 'IKQ2MXH9TW', '7KQ2MXH9T!']) {
      expect(normalizeTrackingCode(bad)).toBeUndefined();
    }
  });
});
