import type { Lang } from '../shared/i18n.ts';

const LOCALES: Record<Lang, string> = { uk: 'uk-UA', en: 'en-GB' };

/** A date and time from the API (ISO 8601) as the resident reads it; the text itself when it is not a date. */
export function formatDateTime(iso: string, lang: Lang): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return new Intl.DateTimeFormat(LOCALES[lang], { dateStyle: 'medium', timeStyle: 'short' }).format(date);
}

export function formatTime(date: Date, lang: Lang): string {
  return new Intl.DateTimeFormat(LOCALES[lang], { timeStyle: 'short' }).format(date);
}
