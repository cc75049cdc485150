import type { ObjectPublicView } from '@city/twin/contract';
import { MAX_OBJECT_NUMBER } from '@city/twin/contract/input-limits';
import { api } from '../shared/api.ts';

/** One object's public view by its number as typed (the server forgives case, dashes and look-alike letters). */
export function fetchObject(number: string, signal?: AbortSignal): Promise<ObjectPublicView> {
  return api<ObjectPublicView>(`/api/v1/objects/${encodeURIComponent(number.trim().slice(0, MAX_OBJECT_NUMBER))}`, {
    signal,
  });
}
