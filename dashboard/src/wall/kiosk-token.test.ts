import { describe, expect, it } from 'vitest';
import { KIOSK_STORAGE_KEY, resolveWallToken } from './kiosk-token.ts';

function memory(initial: Record<string, string> = {}) {
  const data = new Map(Object.entries(initial));
  return {
    data,
    getItem: (k: string) => data.get(k) ?? null,
    setItem: (k: string, v: string) => void data.set(k, v),
    removeItem: (k: string) => void data.delete(k),
  };
}

describe("the wall's token", () => {
  it('takes a kiosk key from the address once, keeps it, and strips it from the address', () => {
    const storage = memory();
    const first = resolveWallToken('https://city.example/?kiosk=k3y-ABC_123&lang=en#x', storage, 'demo-kiosk');
    expect(first).toEqual({ token: 'k3y-ABC_123', source: 'url', cleanUrl: '/?lang=en#x' });
    expect(storage.data.get(KIOSK_STORAGE_KEY)).toBe('k3y-ABC_123');
    const later = resolveWallToken('https://city.example/', storage, null);
    expect(later).toEqual({ token: 'k3y-ABC_123', source: 'stored', cleanUrl: null });
  });

  it("falls back to the demo's kiosk token, then to none", () => {
    expect(resolveWallToken('https://city.example/', memory(), 'demo-kiosk')).toMatchObject({
      token: 'demo-kiosk',
      source: 'demo',
    });
    expect(resolveWallToken('https://city.example/', memory(), null)).toMatchObject({ token: null, source: 'none' });
    expect(resolveWallToken('https://city.example/', null, null)).toMatchObject({ token: null, source: 'none' });
  });

  it('refuses keys that are not keys, and forgets a kept key with an empty one', () => {
    const storage = memory({ [KIOSK_STORAGE_KEY]: 'kept' });
    const odd = resolveWallToken(`https://city.example/?kiosk=${encodeURIComponent('a b<script>')}`, storage, null);
    expect(odd).toEqual({ token: 'kept', source: 'stored', cleanUrl: '/' });
    const long = resolveWallToken(`https://city.example/?kiosk=${'x'.repeat(5000)}`, memory(), null);
    expect(long.token).toBeNull();
    const forget = resolveWallToken('https://city.example/?kiosk=', storage, null);
    expect(forget).toEqual({ token: null, source: 'none', cleanUrl: '/' });
    expect(storage.data.has(KIOSK_STORAGE_KEY)).toBe(false);
  });

  it('works when storage throws (a locked-down kiosk profile)', () => {
    const throwing = {
      getItem: () => {
        throw new Error('denied');
      },
      setItem: () => {
        throw new Error('denied');
      },
      removeItem: () => {
        throw new Error('denied');
      },
    };
    expect(resolveWallToken('https://city.example/?kiosk=abc', throwing, null)).toMatchObject({ token: 'abc' });
    expect(resolveWallToken('https://city.example/', throwing, 'demo')).toMatchObject({ token: 'demo' });
  });
});
