import { describe, expect, it } from 'vitest';
import { ApiError } from '../shared/api.ts';
import { errorText } from './error-text.ts';
import { STRINGS } from './strings.ts';

const t = STRINGS.en;

describe('what a failed request tells a resident', () => {
  it('is the page’s own words for each kind of failure', () => {
    expect(errorText(new ApiError(0, 'network', 'x'), t)).toBe(t.errNetwork);
    expect(errorText(new ApiError(404, 'unknown_object', 'x'), t, t.notFound)).toBe(t.notFound);
    expect(errorText(new ApiError(429, 'rate_limited', 'x'), t, t.notFound)).toBe(t.errRateLimited);
    expect(errorText(new ApiError(413, 'too_large', 'x'), t)).toBe(t.errTooLarge);
    expect(errorText(new ApiError(503, 'unavailable', 'x'), t)).toBe(t.errServer);
    expect(errorText(new Error('boom'), t)).toBe(t.errServer);
    expect(errorText(new ApiError(400, 'bad_photo', 'not an image'), t)).toContain('not an image');
  });

  it('has every text in both languages', () => {
    expect(Object.keys(STRINGS.en).sort()).toEqual(Object.keys(STRINGS.uk).sort());
    for (const [key, text] of Object.entries(STRINGS.en)) expect(text, key).not.toBe('');
  });
});
