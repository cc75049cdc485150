/**
 * Entity ids: `urn:ngsi-ld:<Type>:<object number>`, the number percent-encoded as a URN's
 * specific string must be (`СМ-03-00417` is `%D0%A1%D0%9C-03-00417`).
 */

const PREFIX = 'urn:ngsi-ld:';
/** A URI's scheme and something after it (RFC 3986 3.1): what NGSI-LD takes as an id at all. */
const URI = /^[A-Za-z][A-Za-z0-9+.-]*:[^\s]+$/;
const OURS = /^urn:ngsi-ld:([A-Za-z][A-Za-z0-9]*):(.+)$/;

export function entityId(type: string, number: string): string {
  return `${PREFIX}${type}:${encodeURIComponent(number)}`;
}

export function isUri(id: string): boolean {
  return URI.test(id);
}

/**
 * The entity type and object number an id names, or undefined for an id not of this API's form.
 * The number is taken percent-encoded (as ids are written) or already decoded (a client that put
 * the id into a path unescaped: the server decoded it once).
 */
export function parseEntityId(id: string): { type: string; number: string } | undefined {
  const match = OURS.exec(id);
  if (!match) return undefined;
  const [, type = '', encoded = ''] = match;
  let number = encoded;
  if (encoded.includes('%')) {
    try {
      number = decodeURIComponent(encoded);
    } catch {
      // Not valid percent-encoding: the number as written, which no object has.
    }
  }
  return { type, number };
}
