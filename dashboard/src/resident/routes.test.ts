import { describe, expect, it } from 'vitest';
import { hrefOf, parseView } from './routes.ts';

describe("the resident page's addresses", () => {
  it('read the number a QR label opens, and the other views', () => {
    expect(parseView('/r', '')).toEqual({ kind: 'report' });
    expect(parseView('/r/', '')).toEqual({ kind: 'report' });
    expect(parseView(`/r/${encodeURIComponent('ОП-03-00417')}`, '')).toEqual({ kind: 'report', number: 'ОП-03-00417' });
    expect(parseView('/r', '?code=7KQ2MXH9TW')).toEqual({ kind: 'status', code: '7KQ2MXH9TW' });
    expect(parseView('/r', '?code=')).toEqual({ kind: 'status' });
    expect(parseView('/r', '?where')).toEqual({ kind: 'where' });
  });

  it('keep nothing an attacker could make of the address but bounded text', () => {
    // A broken escape is kept as typed, not thrown; a very long one is cut.
    expect(parseView('/r/%E0%A4%A', '')).toEqual({ kind: 'report', number: '%E0%A4%A' });
    const long = parseView(`/r/${'9'.repeat(5000)}`, '');
    expect(long.kind === 'report' && long.number?.length).toBe(100);
    expect(parseView('/r/a/b', '')).toEqual({ kind: 'report' });
  });

  it('write back what they read', () => {
    for (const view of [
      { kind: 'report' },
      { kind: 'report', number: 'ОП-03-00417' },
      { kind: 'report', number: 'a/b?c#d' },
      { kind: 'status', code: '7KQ2 MXH9' },
      { kind: 'where' },
    ] as const) {
      const url = new URL(hrefOf(view), 'http://city.example');
      expect(parseView(url.pathname, url.search)).toEqual(view);
    }
  });
});
