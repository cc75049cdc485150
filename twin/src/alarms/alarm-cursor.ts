import { ApiError } from '@city/ingest';
import type { ApiErrorCode } from '../contract/api-errors.ts';
import type { AlarmListKey } from './alarms-table.ts';

/**
 * The opaque `cursor` of `GET /alarms`: the list key of a page's last alarm (its raise time to the
 * microsecond, and its id), so the next page starts right after it however many alarms are raised
 * meanwhile.
 */

const KEY = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z) (\d{1,16})$/;

export function encodeCursor(key: AlarmListKey): string {
  return Buffer.from(`${key.raisedAt} ${key.id}`).toString('base64url');
}

export function decodeCursor(cursor: string): AlarmListKey {
  const match = KEY.exec(Buffer.from(cursor, 'base64url').toString());
  const raisedAt = match?.[1];
  const id = Number(match?.[2]);
  if (raisedAt === undefined || Number.isNaN(Date.parse(raisedAt)) || !Number.isSafeInteger(id)) {
    throw new ApiError<ApiErrorCode>(
      400,
      'bad_request',
      'cursor: not one this API gave out (use `nextCursor` as it is)',
    );
  }
  return { raisedAt, id };
}
