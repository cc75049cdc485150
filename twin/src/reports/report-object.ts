import { ApiError } from '@city/ingest';
import type { ApiErrorCode } from '../contract/api-errors.ts';
import { numberFromQrToken } from '../contract/qr-token.ts';
import type { CityObjectRecord, ObjectLookup } from '../objects/object-record.ts';

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
