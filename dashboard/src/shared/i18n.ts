import { useEffect, useState } from 'preact/hooks';

/**
 * The pages speak Ukrainian by default and English behind a switch (ARCHITECTURE: non-negotiables).
 * Each page keeps its texts in one dictionary per language, typed so that English has every key
 * Ukrainian has; the choice is remembered in the browser and can be forced with `?lang=en`.
 */
export const LANGUAGES = ['uk', 'en'] as const;
export type Lang = (typeof LANGUAGES)[number];

/** One page's texts: Ukrainian, and English with the same keys. */
export type Dictionary<K extends string> = { uk: Record<K, string>; en: Record<K, string> };

const STORAGE_KEY = 'city.lang';
const listeners = new Set<(lang: Lang) => void>();
let current: Lang = initialLang();

function initialLang(): Lang {
  const asked = new URLSearchParams(globalThis.location?.search ?? '').get('lang');
  if (isLang(asked)) return asked;
  try {
    const stored = globalThis.localStorage?.getItem(STORAGE_KEY);
    if (isLang(stored)) return stored;
  } catch {
    // Storage can be refused (private mode, a kiosk profile): the default stands.
  }
  return 'uk';
}

function isLang(value: unknown): value is Lang {
  return typeof value === 'string' && (LANGUAGES as readonly string[]).includes(value);
}

export function currentLang(): Lang {
  return current;
}

export function setLang(lang: Lang): void {
  if (lang === current) return;
  current = lang;
  document.documentElement.lang = lang;
  try {
    localStorage.setItem(STORAGE_KEY, lang);
  } catch {
    // Not remembered; the page still switches.
  }
  for (const listener of listeners) listener(lang);
}

/** The current language; the component renders again when it changes. */
export function useLang(): Lang {
  const [lang, set] = useState(current);
  useEffect(() => {
    listeners.add(set);
    set(current);
    return () => listeners.delete(set);
  }, []);
  return lang;
}

/** The dictionary's texts in the current language. */
export function useStrings<K extends string>(dictionary: Dictionary<K>): Record<K, string> {
  return dictionary[useLang()];
}

/** A text with `{name}` placeholders filled in. */
export function fill(text: string, values: Record<string, string | number>): string {
  return text.replace(/\{(\w+)\}/g, (whole, name: string) => (name in values ? String(values[name]) : whole));
}

/** A contract label (`{uk, en}`, object types, report categories) in the current language. */
export function label(labels: { uk: string; en: string } | undefined, lang: Lang, fallback: string): string {
  return labels?.[lang] ?? fallback;
}

/** The label a table keys by an id from the server, or the id itself for one the table does not know. */
export function labelIn(table: Readonly<Record<string, { uk: string; en: string }>>, id: string, lang: Lang): string {
  return label(Object.hasOwn(table, id) ? table[id] : undefined, lang, id);
}

if (typeof document !== 'undefined') document.documentElement.lang = current;
