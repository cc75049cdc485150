/**
 * The object number a scanned QR code names. A label's code holds the resident page's URL,
 * `https://<city>/r/{number}`, or the bare number (twin's report-object.ts reads QR tokens the
 * same way). What a code holds is anyone's to print, so it is only ever a number to look up:
 * never a link the page follows, and never longer than a number can be.
 */
const MAX_NUMBER = 64;

export function numberFromScan(raw: string): string {
  const trimmed = raw.trim().slice(0, 300);
  const path = /^https?:\/\//i.test(trimmed) ? urlPath(trimmed) : trimmed;
  const page = /(?:^|\/)r\/([^/?#]+)\/?$/.exec(path ?? '');
  const number = page?.[1] ? safeDecode(page[1]) : trimmed;
  // Control characters are no part of a number (and would only confuse the input).
  return number.replace(/\p{Cc}/gu, '').slice(0, MAX_NUMBER);
}

function urlPath(url: string): string | undefined {
  try {
    return new URL(url).pathname;
  } catch {
    return undefined;
  }
}

function safeDecode(part: string): string {
  try {
    return decodeURIComponent(part);
  } catch {
    return part;
  }
}
