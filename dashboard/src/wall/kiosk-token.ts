/**
 * Which token the wall reads with. A kiosk key comes once in the address (`/?kiosk=<key>`, what
 * an admin hands out with the screen's setup), is kept in this browser's storage and taken out of
 * the address bar at once (it must not stay on screen, in the history, or in a photo of the wall).
 * Without one, the embedded demo's kiosk token (ui-config); without that, no token: the page says
 * how to get a key. `?kiosk=` with nothing forgets a kept key.
 */
export const KIOSK_STORAGE_KEY = 'city.wall.kiosk';
/** A key longer than this is not one of ours (the stream's handshake takes 4096 at most). */
const MAX_KEY_LENGTH = 4096;
/** Printable ASCII without spaces: what API keys and session tokens are made of. */
const KEY_CHARS = /^[\x21-\x7e]+$/;

export type TokenSource = 'url' | 'stored' | 'demo' | 'none';

export interface WallToken {
  token: string | null;
  source: TokenSource;
  /** The address without the key, to put in the address bar; null when it had none. */
  cleanUrl: string | null;
}

type KeyStorage = Pick<Storage, 'getItem' | 'setItem' | 'removeItem'>;

export function resolveWallToken(href: string, storage: KeyStorage | null, demoToken: string | null): WallToken {
  const url = new URL(href);
  const given = url.searchParams.has('kiosk') ? (url.searchParams.get('kiosk') ?? '').trim() : null;
  let cleanUrl: string | null = null;
  if (given !== null) {
    url.searchParams.delete('kiosk');
    cleanUrl = url.pathname + (url.searchParams.size ? `?${url.searchParams}` : '') + url.hash;
    if (given === '') safely(() => storage?.removeItem(KIOSK_STORAGE_KEY));
    else if (isKey(given)) {
      safely(() => storage?.setItem(KIOSK_STORAGE_KEY, given));
      return { token: given, source: 'url', cleanUrl };
    }
  }
  const stored = safely(() => storage?.getItem(KIOSK_STORAGE_KEY)) ?? null;
  if (isKey(stored)) return { token: stored, source: 'stored', cleanUrl };
  if (isKey(demoToken)) return { token: demoToken, source: 'demo', cleanUrl };
  return { token: null, source: 'none', cleanUrl };
}

/** Forgets the kept key (the server refused it: revoked). */
export function forgetKioskKey(storage: KeyStorage | null): void {
  safely(() => storage?.removeItem(KIOSK_STORAGE_KEY));
}

function isKey(value: unknown): value is string {
  return typeof value === 'string' && value.length > 0 && value.length <= MAX_KEY_LENGTH && KEY_CHARS.test(value);
}

function safely<T>(fn: () => T): T | undefined {
  try {
    return fn();
  } catch {
    // Storage refused (a locked-down kiosk profile): the key works for this visit only.
    return undefined;
  }
}
