import { MAX_OBJECT_NUMBER } from '@city/twin/contract/input-limits';
import { numberFromQrToken } from '@city/twin/contract/qr-token';

/**
 * The object number a scanned QR code names, read as the API reads a QR token (a label's code
 * holds the resident page's URL, `https://<city>/r/{number}`, or the bare number). What a code
 * holds is anyone's to print, so it is only ever a number to look up: never a link the page
 * follows, and never longer than a number can be.
 */
export function numberFromScan(raw: string): string {
  // Control characters are no part of a number (and would only confuse the input).
  return numberFromQrToken(raw.slice(0, 300))
    .replace(/\p{Cc}/gu, '')
    .slice(0, MAX_OBJECT_NUMBER);
}
