import { useEffect, useState } from 'preact/hooks';

/**
 * The resident page's views, all under `/r` (the server serves `/r` and `/r/{number}` only):
 * `/r` and `/r/{number}` report (the number is what an object's QR label opens), `/r?code=X`
 * a report's status, `/r?where` "Where am I?". Links are real links (open in a new tab, work
 * with the keyboard); the page moves between them without a reload.
 */
export type View = { kind: 'report'; number?: string } | { kind: 'status'; code?: string } | { kind: 'where' };

/** Longer than any number or code the API takes: what is longer is not kept from the address bar. */
const MAX_PART = 100;

export function parseView(pathname: string, search: string): View {
  const query = new URLSearchParams(search);
  if (query.has('code')) {
    const code = (query.get('code') ?? '').trim().slice(0, MAX_PART);
    return code ? { kind: 'status', code } : { kind: 'status' };
  }
  if (query.has('where')) return { kind: 'where' };
  const match = /^\/r\/([^/]+)\/?$/.exec(pathname);
  const number = match?.[1] ? safeDecode(match[1]).trim().slice(0, MAX_PART) : '';
  return number ? { kind: 'report', number } : { kind: 'report' };
}

export function hrefOf(view: View): string {
  switch (view.kind) {
    case 'report':
      return view.number ? `/r/${encodeURIComponent(view.number)}` : '/r';
    case 'status':
      return view.code ? `/r?code=${encodeURIComponent(view.code)}` : '/r?code=';
    case 'where':
      return '/r?where';
  }
}

function safeDecode(part: string): string {
  try {
    return decodeURIComponent(part);
  } catch {
    return part;
  }
}

const listeners = new Set<(view: View) => void>();

function currentView(): View {
  return parseView(location.pathname, location.search);
}

/** Moves to `view` (a new history entry; `replace` for a correction of the current one). */
export function navigate(view: View, replace = false): void {
  const href = hrefOf(view);
  if (replace) history.replaceState(null, '', href);
  else history.pushState(null, '', href);
  window.scrollTo(0, 0);
  for (const listener of listeners) listener(currentView());
}

/** The view the address bar shows; renders again on navigate() and the browser's back/forward. */
export function useView(): View {
  const [view, setView] = useState(currentView);
  useEffect(() => {
    const onPop = () => setView(currentView());
    listeners.add(setView);
    window.addEventListener('popstate', onPop);
    return () => {
      listeners.delete(setView);
      window.removeEventListener('popstate', onPop);
    };
  }, []);
  return view;
}

/** A click on an in-page link moves without a reload; a click with a modifier opens as the browser would. */
export function followLink(event: MouseEvent, view: View): void {
  if (event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
  event.preventDefault();
  navigate(view);
}
