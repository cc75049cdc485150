/**
 * The number a QR token names. An object's QR code holds its resident page's URL,
 * `https://<city>/r/{number}`, so a token is that URL or the bare number. It is not signed: the
 * number is painted on the object beside the code, and a signature would prove no more than
 * that someone saw the label. No schema library here: the resident page imports this module
 * alone (`@city/twin/contract/qr-token`) to read what its camera scans the way the API does.
 */
export function numberFromQrToken(token: string): string {
  const trimmed = token.trim();
  const path = /^https?:\/\//i.test(trimmed) ? safeUrlPath(trimmed) : trimmed;
  const page = /(?:^|\/)r\/([^/?#]+)\/?$/.exec(path ?? '');
  if (page?.[1]) return safeDecode(page[1]);
  return trimmed;
}

function safeUrlPath(url: string): string | undefined {
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
