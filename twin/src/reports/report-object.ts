import { ApiError } from '@city/ingest';
import type { ApiErrorCode } from '../contract/api-errors.ts';
import type { CityObjectRecord, ObjectLookup } from '../objects/object-record.ts';

/**
 * The number a QR token names. An object's QR code holds its resident page's URL,
 * `https://<city>/r/{number}`, so a token is that URL or the bare number. It is not signed: the
 * number is painted on the object beside the code, and a signature would prove no more than
 * that someone saw the label.
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

/** The object a report is about, named by its number or its QR token; 404 `unknown_object` when there is none. */
export function reportedObject(
  objects: ObjectLookup,
  named: { objectNumber?: string | undefined; qrToken?: string | undefined },
): CityObjectRecord {
  if ((named.objectNumber === undefined) === (named.qrToken === undefined)) {
    throw new ApiError<ApiErrorCode>(400, 'bad_request', 'name the object by objectNumber or by qrToken (one of them)');
  }
  const number = named.objectNumber ?? numberFromQrToken(named.qrToken as string);
  const object = objects.get(number);
  if (!object) {
    throw new ApiError<ApiErrorCode>(
      404,
      'unknown_object',
      `no city object has the number ${JSON.stringify(number.slice(0, 64))}; check the number painted on it`,
    );
  }
  return object;
}
